package dev.xsched.core.policy;

/**
 * Information a program gives the scheduler about a queue. The scheduler keeps the latest hint of
 * each type per queue ({@link QueueStatus#hint(Class)}) and tells the active policy when one
 * arrives ({@link Policy#onHint}). Policies may define hint types of their own: any record that
 * implements this interface works.
 */
public interface Hint {
    /** Priority in [-255, 255]; larger is more important (XSched's convention). Default 0. */
    record Priority(int value) implements Hint {
        public static final int MIN = -255;
        public static final int MAX = 255;

        public Priority {
            if (value < MIN || value > MAX) {
                throw new IllegalArgumentException("priority must be in [" + MIN + ", " + MAX + "], got " + value);
            }
        }
    }

    /** A relative deadline: work that becomes ready at time t should finish by t + nanos. */
    record Deadline(long nanos) implements Hint {
        public Deadline {
            if (nanos <= 0) {
                throw new IllegalArgumentException("relative deadline must be > 0 ns, got " + nanos);
            }
        }
    }

    /** An absolute deadline on the scheduler's clock for the queue's current job. */
    record AbsoluteDeadline(long atNanos) implements Hint {
    }

    /** A share of the device in percent (1..100), for utilization partitioning. */
    record Utilization(int percent) implements Hint {
        public Utilization {
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("utilization must be in [1, 100] percent, got " + percent);
            }
        }
    }

    /** The length of a scheduling time slice. */
    record Timeslice(long nanos) implements Hint {
        public Timeslice {
            if (nanos <= 0) {
                throw new IllegalArgumentException("timeslice must be > 0 ns, got " + nanos);
            }
        }
    }

    /**
     * Laxity scheduling: the queue runs at {@code lowPriority} until {@code laxityNanos} after it
     * became ready, then at {@code criticalPriority}.
     */
    record Laxity(long laxityNanos, int lowPriority, int criticalPriority) implements Hint {
        public Laxity {
            if (laxityNanos < 0) {
                throw new IllegalArgumentException("laxity must be >= 0 ns, got " + laxityNanos);
            }
            new Priority(lowPriority);
            new Priority(criticalPriority);
        }
    }

    /** A weight for proportional sharing (1..10000; 1024 is the default share). */
    record Weight(int value) implements Hint {
        public Weight {
            if (value < 1 || value > 10_000) {
                throw new IllegalArgumentException("weight must be in [1, 10000], got " + value);
            }
        }
    }
}
