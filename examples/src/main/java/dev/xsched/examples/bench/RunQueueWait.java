package dev.xsched.examples.bench;

/**
 * How long a thread has waited, in all, on the operating system's run queue: runnable but not
 * running, because other threads had the CPUs or the container's CPU quota was spent. Linux keeps
 * it per thread as the second field of {@code /proc/thread-self/schedstat} ({@code run_delay},
 * nanoseconds), which {@link ThreadTimes} reads. Read before and after a stretch of a benchmark on
 * the thread that does it, the difference tells a request that started or woke late because the
 * host did not run its thread (round 10 on the H200: 1-4 ms in most of the slowest 1%) from one
 * that was late for a reason of ours.
 */
public final class RunQueueWait {
    private RunQueueWait() {
    }

    /**
     * The three whole numbers of a schedstat line ({@code "<on cpu ns> <run delay ns> <timeslices>"}):
     * the run-queue wait is the second.
     *
     * @throws IllegalArgumentException if the line does not have three whole numbers
     */
    static long[] fields(String schedstat) {
        String[] fields = schedstat.strip().split("\\s+");
        if (fields.length != 3) {
            throw new IllegalArgumentException("not a schedstat line: '" + schedstat.strip() + "'");
        }
        try {
            return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2])};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a schedstat line: '" + schedstat.strip() + "'", e);
        }
    }

    /**
     * {@return the wait between two readings in milliseconds, NaN if either was unknown}
     *
     * @param before a reading of the run-queue wait in nanoseconds, -1 where unknown
     * @param after  a later reading on the same thread
     */
    public static double millisBetween(long before, long after) {
        return before < 0 || after < 0 ? Double.NaN : (after - before) / 1e6;
    }
}
