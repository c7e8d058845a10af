package dev.xsched.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What one {@link System#nanoTime()} costs on this host, and the kernel's clock source behind it.
 * On Linux the read goes through the vDSO without entering the kernel when the clock source allows
 * it ({@code tsc}, and {@code kvm-clock} whose host marks its clock stable): tens of nanoseconds.
 * Otherwise ({@code hpet}, {@code acpi_pm}, a paravirtual clock not marked stable) each read is a
 * system call, which on a virtual machine can cost as much as a kernel launch; then any clock read
 * on a launch path shows in the launch benchmark, and this says so.
 *
 * @param nanosPerRead the mean cost of one read over the fastest of several rounds
 * @param source       the current clock source ({@code /sys/devices/system/clocksource}), or
 *                     "unknown" where there is none to read
 */
public record ClockReadCost(double nanosPerRead, String source) {
    private static final Path CURRENT_SOURCE = Path.of("/sys/devices/system/clocksource/clocksource0/current_clocksource");
    private static final int ROUNDS = 5;
    private static final int READS_PER_ROUND = 200_000;
    /** Where the reads' sum goes, so that the JIT cannot drop them. */
    private static volatile long sink;

    /** Measures on this thread: the fastest of {@value #ROUNDS} rounds, so a preemption in one does not count. */
    public static ClockReadCost measure() {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long sum = 0;
            long start = System.nanoTime();
            for (int i = 0; i < READS_PER_ROUND; i++) {
                sum += System.nanoTime();
            }
            long elapsed = System.nanoTime() - start;
            sink = sum;
            best = Math.min(best, (double) elapsed / READS_PER_ROUND);
        }
        return new ClockReadCost(best, currentSource(CURRENT_SOURCE));
    }

    /** The clock source named in {@code file}, or "unknown" if it cannot be read. */
    static String currentSource(Path file) {
        try {
            String name = Files.readString(file).strip();
            return name.isEmpty() ? "unknown" : name;
        } catch (IOException | SecurityException e) {
            return "unknown";
        }
    }
}
