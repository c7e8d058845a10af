package dev.xsched.examples.bench;

import java.util.Arrays;

/**
 * Deadline misses of one periodic task: every instance released in the measured interval counts;
 * its response time runs from its scheduled release (open loop) to the host seeing its last kernel
 * complete; it misses when that exceeds the relative deadline, or when it never completed.
 */
final class DeadlineAccounting {
    /** Response time of an instance that did not complete in time for the measurement. */
    static final long NOT_COMPLETED = -1;

    private final long deadline;
    private final long[] responses;

    /**
     * @param deadlineNanos relative deadline
     * @param responseNanos one entry per released instance: its response time, or {@link #NOT_COMPLETED}
     */
    DeadlineAccounting(long deadlineNanos, long[] responseNanos) {
        if (deadlineNanos <= 0) {
            throw new IllegalArgumentException("deadline must be > 0");
        }
        this.deadline = deadlineNanos;
        this.responses = responseNanos.clone();
    }

    int released() {
        return responses.length;
    }

    int missed() {
        int n = 0;
        for (long r : responses) {
            if (r == NOT_COMPLETED || r > deadline) {
                n++;
            }
        }
        return n;
    }

    int notCompleted() {
        return (int) Arrays.stream(responses).filter(r -> r == NOT_COMPLETED).count();
    }

    /** Missed over released, NaN when nothing was released. */
    double missRate() {
        return responses.length == 0 ? Double.NaN : missed() / (double) responses.length;
    }

    /** Percentile (0..100, nearest rank) of the completed responses in ms, NaN when none completed. */
    double percentileMillis(double p) {
        long[] done = Arrays.stream(responses).filter(r -> r != NOT_COMPLETED).sorted().toArray();
        if (done.length == 0) {
            return Double.NaN;
        }
        return done[NearestRank.index(done.length, p)] / 1e6;
    }

    double maxMillis() {
        return percentileMillis(100);
    }
}
