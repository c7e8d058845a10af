package dev.xsched.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long the calling thread has waited, in all, on the operating system's run queue: runnable
 * but not running, because other threads had the CPUs or the container's CPU quota was spent.
 * Linux keeps it per thread as the second field of {@code /proc/thread-self/schedstat}
 * ({@code run_delay}, nanoseconds). Read before and after a stretch of a benchmark on the thread
 * that does it, the difference tells a request that started or woke late because the host did
 * not run its thread (round 10 on the H200: 1-4 ms in most of the slowest 1%) from one that was
 * late for a reason of ours. Reading costs a file read (microseconds): take it outside the timed
 * part.
 */
public final class RunQueueWait {
    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

    private RunQueueWait() {
    }

    /**
     * {@return the calling thread's run-queue wait so far in nanoseconds, or -1 where the system
     * does not say (not Linux, or a kernel without scheduler statistics)}
     */
    public static long nanos() {
        try {
            return parse(Files.readString(SCHEDSTAT));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Reads the run-queue wait out of a schedstat line ({@code "<on cpu ns> <run delay ns> <timeslices>"}).
     *
     * @throws IllegalArgumentException if the line does not have three whole numbers
     */
    static long parse(String schedstat) {
        String[] fields = schedstat.strip().split("\\s+");
        if (fields.length != 3) {
            throw new IllegalArgumentException("not a schedstat line: '" + schedstat.strip() + "'");
        }
        try {
            Long.parseLong(fields[0]);
            Long.parseLong(fields[2]);
            return Long.parseLong(fields[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a schedstat line: '" + schedstat.strip() + "'", e);
        }
    }

    /**
     * {@return the wait between two readings in milliseconds, NaN if either was unknown}
     *
     * @param before a reading of {@link #nanos()}
     * @param after  a later reading on the same thread
     */
    public static double millisBetween(long before, long after) {
        return before < 0 || after < 0 ? Double.NaN : (after - before) / 1e6;
    }
}
