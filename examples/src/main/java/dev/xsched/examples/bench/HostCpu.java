package dev.xsched.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The CPUs this process may use and, in a container, its CPU quota and how often the kernel has
 * throttled it (cgroup v2: {@code cpu.max}, {@code cpu.stat}). A latency benchmark whose threads
 * poll needs to know: a container whose quota is spent is stopped until the next period (100 ms by
 * default), which shows up as requests late by milliseconds with nothing wrong in the code they
 * run. Round 10 on the H200 had such delays in most of its slowest requests. In a virtual machine
 * the hypervisor may also stop the virtual CPUs ({@code steal} in {@code /proc/stat}), which no
 * thread's run-queue wait shows.
 *
 * @param processors      {@link Runtime#availableProcessors()} (the JVM honours the quota and affinity)
 * @param quotaCpus       the quota in CPUs ({@code cpu.max}: quota over period), empty without one
 * @param throttled       how many quota periods the container was throttled in so far, -1 if unknown
 * @param throttledMicros how long it was throttled so far, microseconds, -1 if unknown
 * @param stealMillis     CPU time the hypervisor took from all of this machine's CPUs so far, -1 if unknown
 */
public record HostCpu(int processors, OptionalDouble quotaCpus, long throttled, long throttledMicros, long stealMillis) {
    private static final Path CGROUP = Path.of("/sys/fs/cgroup");
    private static final Path PROC_STAT = Path.of("/proc/stat");
    /** {@code /proc/stat} counts in USER_HZ, 100 per second on every Linux ABI. */
    private static final long MILLIS_PER_TICK = 10;

    /** {@return the figures now, from this process's cgroup (v2, mounted at /sys/fs/cgroup) and /proc/stat} */
    public static HostCpu now() {
        return read(Runtime.getRuntime().availableProcessors(), CGROUP, PROC_STAT);
    }

    /** The figures from a cgroup v2 directory and a /proc/stat file; what they lack is reported as unknown. */
    static HostCpu read(int processors, Path cgroup, Path procStat) {
        OptionalDouble quota = OptionalDouble.empty();
        try {
            quota = parseQuota(Files.readString(cgroup.resolve("cpu.max")));
        } catch (IOException | RuntimeException e) {
            // No cgroup v2 CPU controller here: no quota to report.
        }
        long throttled = -1;
        long throttledMicros = -1;
        try {
            for (String line : Files.readAllLines(cgroup.resolve("cpu.stat"))) {
                String[] f = line.strip().split("\\s+");
                if (f.length == 2 && f[0].equals("nr_throttled")) {
                    throttled = Long.parseLong(f[1]);
                } else if (f.length == 2 && f[0].equals("throttled_usec")) {
                    throttledMicros = Long.parseLong(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // No cpu.stat: throttling unknown.
        }
        long steal = -1;
        try {
            steal = parseSteal(Files.readAllLines(procStat).getFirst()) * MILLIS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            // No /proc/stat (not Linux): steal unknown.
        }
        return new HostCpu(processors, quota, throttled, throttledMicros, steal);
    }

    /** {@code /proc/stat}'s first line, "cpu user nice system idle iowait irq softirq steal ...": the steal ticks. */
    static long parseSteal(String cpuLine) {
        String[] f = cpuLine.strip().split("\\s+");
        if (f.length < 9 || !f[0].equals("cpu")) {
            throw new IllegalArgumentException("not /proc/stat's cpu line: '" + cpuLine.strip() + "'");
        }
        return Long.parseLong(f[8]);
    }

    /** {@code cpu.max}: "max 100000" (no quota) or "QUOTA PERIOD" in microseconds. */
    static OptionalDouble parseQuota(String cpuMax) {
        String[] f = cpuMax.strip().split("\\s+");
        if (f.length != 2) {
            throw new IllegalArgumentException("not a cpu.max line: '" + cpuMax.strip() + "'");
        }
        if (f[0].equals("max")) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((double) Long.parseLong(f[0]) / Long.parseLong(f[1]));
    }

    /** {@return what happened between {@code before} and these figures: the throttling since, unknown stays unknown} */
    public HostCpu since(HostCpu before) {
        boolean known = throttled >= 0 && before.throttled >= 0;
        return new HostCpu(processors, quotaCpus, known ? throttled - before.throttled : -1,
                known && throttledMicros >= 0 && before.throttledMicros >= 0 ? throttledMicros - before.throttledMicros : -1,
                stealMillis >= 0 && before.stealMillis >= 0 ? stealMillis - before.stealMillis : -1);
    }

    /** "16 CPUs available, CPU quota 4.00 CPUs (cgroup cpu.max), throttled 12 times (35.2 ms), 0 ms stolen ... so far". */
    public String describe(String when) {
        String quota = quotaCpus.isPresent() ? String.format(Locale.ROOT, "CPU quota %.2f CPUs (cgroup cpu.max)", quotaCpus.getAsDouble())
                : "no CPU quota found";
        return processors + " CPUs available, " + quota + ", " + throttling(when);
    }

    /** "throttled 12 times (35.2 ms), 40 ms stolen by the hypervisor (all CPUs) during this mode", or what is unknown. */
    public String throttling(String when) {
        String quota = throttled < 0 ? "CPU throttling unknown (no cgroup cpu.stat)"
                : String.format(Locale.ROOT, "throttled %d times (%.1f ms)", throttled, throttledMicros < 0 ? Double.NaN : throttledMicros / 1e3);
        String steal = stealMillis < 0 ? "steal unknown (no /proc/stat)" : stealMillis + " ms stolen by the hypervisor (all CPUs)";
        return quota + ", " + steal + " " + when;
    }
}
