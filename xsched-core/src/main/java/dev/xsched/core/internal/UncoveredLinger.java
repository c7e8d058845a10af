package dev.xsched.core.internal;

/**
 * How long the completion thread waits, seeing released work without a sync point, for the
 * releasing thread to record one before it records one itself.
 *
 * <p>Mid-batch that is the usual sight with a device faster than the launches, and the releaser
 * records the batch's sync point a few launches later, or a thread that synchronizes records its
 * own at once. A completion thread that took the launch gate to record one then found none
 * needed, and on letting go released the commands submitted meanwhile, and from then on every
 * command: on the H200 (round 14) it issued nearly every launch of a back-to-back run while the
 * submitter only buffered.
 *
 * <p>The wait runs until the releases have been quiet for at least {@code quietNanos} (the
 * releases are looked at when a period ends, so the record comes one to two periods after the
 * last), not for that long after the first one: an online request of 23 launches takes about
 * 0.11 ms to enqueue on the H100 (round 38), longer than the 50 us the thread used to wait from
 * the burst's first release, so it recorded a sync point in the middle of most requests, contending for the launch gate with
 * the submitter and putting a blocking event between two kernels, although the request's own
 * synchronize covered it a few launches later. {@code capNanos} bounds the wait for a submitter
 * that never pauses and never synchronizes: its completions, and its idleness, are observed that
 * much later at most (a batch's worth of releases records a sync point regardless).
 *
 * @param quietNanos how long no release must have come before the thread records a sync point
 * @param capNanos   the longest wait from the first uncovered release the thread saw
 */
record UncoveredLinger(long quietNanos, long capNanos) {
    static final UncoveredLinger DEFAULT = new UncoveredLinger(50_000, 1_000_000);

    UncoveredLinger {
        if (quietNanos < 0 || capNanos < quietNanos) {
            throw new IllegalArgumentException("need 0 <= quiet <= cap, got " + quietNanos + " and " + capNanos + " ns");
        }
    }

    /** A wait that began at {@code now}, when the releases had reached {@code launchedSeq}. */
    Wait begin(long now, long launchedSeq) {
        return new Wait(now, launchedSeq);
    }

    /** One wait of the completion thread; used under the queue's state lock by that thread alone. */
    final class Wait {
        private final long cap;
        private long deadline;
        private long seenSeq;

        private Wait(long now, long launchedSeq) {
            this.cap = now + capNanos;
            this.deadline = now + quietNanos;
            this.seenSeq = launchedSeq;
        }

        /**
         * @return the nanoseconds left to wait at {@code now}, with the releases at {@code
         *         launchedSeq}; zero or less: record the sync point now
         */
        long remaining(long now, long launchedSeq) {
            if (now - deadline >= 0 && launchedSeq != seenSeq) {
                // Released more since the last look: the burst goes on, and its end, or the
                // releaser's batch, is likelier to bring a sync point than this thread.
                seenSeq = launchedSeq;
                deadline = cap - (now + quietNanos) < 0 ? cap : now + quietNanos;
            }
            return deadline - now;
        }
    }
}
