package dev.xsched.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where one thread's wall-clock time went: on a CPU, waiting on the run queue, or neither. Over a
 * stretch in which the thread never left its CPU (it polled, and the kernel switched to no other
 * task there: schedstat's count of timeslices did not change), the third part is time in which the
 * thread was running as far as its kernel knows, yet did not run: the hypervisor ran another guest
 * on its virtual CPU (steal) or the CPU served interrupts. Linux leaves both out of a thread's CPU
 * time where it accounts them ({@code CONFIG_PARAVIRT_TIME_ACCOUNTING},
 * {@code CONFIG_IRQ_TIME_ACCOUNTING}); a kernel that does not counts them as CPU time, and the
 * third part then reads about zero. Over a stretch in which the thread was switched out (it
 * blocked, or was preempted) the third part would hold its sleep, so it is unknown there.
 *
 * <p>Why this exists: on the H200 host (round 11, 2026-12-02) 0.3-0.6% of the scenario's requests
 * started 1.5-3 ms late although their thread spun through the arrival and never waited on the
 * run queue ({@link RunQueueWait}), while the host's steal counters grew by seconds per mode. A
 * thread that polls and still loses milliseconds can only have lost them below the guest's
 * scheduler; this says so per request.
 *
 * <p>The CPU time is {@link ThreadMXBean#getCurrentThreadCpuTime()} (the kernel's thread CPU clock,
 * exact to the call), not schedstat's first field, which advances only at scheduler ticks and so
 * lags a running thread by up to one tick. The run-queue wait and the timeslices are schedstat's
 * second and third fields, read from a file kept open for the thread ({@code /proc/thread-self}
 * names the thread that opened it). A sample costs a few microseconds; the parts carry that much
 * noise.
 *
 * <p>Bound to the thread that creates it; not thread-safe.
 */
public final class ThreadTimes implements AutoCloseable {
    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final FileChannel schedstat;
    private final ByteBuffer buffer = ByteBuffer.allocate(128);
    private final boolean cpuTime;

    private ThreadTimes(FileChannel schedstat, boolean cpuTime) {
        this.schedstat = schedstat;
        this.cpuTime = cpuTime;
    }

    /** The calling thread's times; parts the system does not give read as unknown ({@code -1}). */
    public static ThreadTimes ofCurrentThread() {
        FileChannel channel;
        try {
            channel = FileChannel.open(SCHEDSTAT);
        } catch (IOException | UnsupportedOperationException e) {
            channel = null; // not Linux, or a kernel without scheduler statistics
        }
        return new ThreadTimes(channel, THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled());
    }

    /** A reading taken at the start of a stretch: its wall clock read first. */
    public Sample sample() {
        long wall = System.nanoTime();
        long cpu = cpuTime ? THREADS.getCurrentThreadCpuTime() : -1;
        return schedstat(wall, cpu);
    }

    /**
     * A reading taken at the end of a stretch: its wall clock read last, so that the stretch's
     * wall time is never shorter than its CPU time.
     */
    public Sample sampleAfter() {
        long cpu = cpuTime ? THREADS.getCurrentThreadCpuTime() : -1;
        Sample s = schedstat(0, cpu);
        return new Sample(System.nanoTime(), s.cpuNanos, s.runDelayNanos, s.timeslices);
    }

    private Sample schedstat(long wall, long cpu) {
        if (schedstat != null) {
            try {
                buffer.clear();
                int n = schedstat.read(buffer, 0); // position 0: the kernel writes the line afresh
                if (n > 0) {
                    return parse(wall, cpu, new String(buffer.array(), 0, n, StandardCharsets.US_ASCII));
                }
            } catch (IOException | IllegalArgumentException e) {
                // unknown, as below
            }
        }
        return new Sample(wall, cpu, -1, -1);
    }

    /**
     * A sample with the run-queue wait and the timeslices of a schedstat line
     * ({@code "<on cpu ns> <run delay ns> <timeslices>"}).
     *
     * @throws IllegalArgumentException if the line does not have three whole numbers
     */
    static Sample parse(long wall, long cpu, String schedstat) {
        long[] fields = RunQueueWait.fields(schedstat);
        return new Sample(wall, cpu, fields[1], fields[2]);
    }

    @Override
    public void close() {
        if (schedstat != null) {
            try {
                schedstat.close();
            } catch (IOException e) {
                // a /proc file opened for reading: nothing can be lost
            }
        }
    }

    /**
     * One reading of a thread's clocks, in nanoseconds; {@code -1} for what the system does not say.
     *
     * @param wallNanos     {@link System#nanoTime()}
     * @param cpuNanos      the thread's CPU time
     * @param runDelayNanos the thread's run-queue wait so far
     * @param timeslices    how many times the kernel has switched a CPU to the thread so far
     */
    public record Sample(long wallNanos, long cpuNanos, long runDelayNanos, long timeslices) {
        /** {@return the run-queue wait from this sample to {@code later} in ms, NaN where unknown} */
        public double runQueueMillisUntil(Sample later) {
            return RunQueueWait.millisBetween(runDelayNanos, later.runDelayNanos);
        }

        /**
         * {@return the time from this sample to {@code later} in which the thread, never switched
         * off its CPU meanwhile, still did not run, in ms (at least 0): time its virtual CPU was
         * stopped or served interrupts; NaN where a part is unknown or where the thread was
         * switched out (it blocked or was preempted: its run-queue wait and its sleep are then
         * the story)}
         */
        public double offCpuMillisUntil(Sample later) {
            if (cpuNanos < 0 || later.cpuNanos < 0 || timeslices < 0 || later.timeslices != timeslices) {
                return Double.NaN;
            }
            return Math.max(0, (later.wallNanos - wallNanos) - (later.cpuNanos - cpuNanos)) / 1e6;
        }
    }
}
