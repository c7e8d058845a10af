package dev.xsched.core.policy;

/**
 * Information a program gives the scheduler about a queue. The scheduler keeps the latest hint of
 * each type per queue ({@link QueueStatus#hint(Class)}) and tells the active policy when one
 * arrives ({@link Policy#onHint}). Policies may define hint types of their own: any record that
 * implements this interface works, in this process (a scheduler server receives only the built-in
 * types below; others stay local, with a warning). A policy ignores the types it does not read.
 */
public interface Hint {
    /**
     * Priority in [-255, 255]; larger is more important (XSched's convention, the opposite of
     * HIP and CUDA stream priorities). Default 0. Read by {@code hpf}, {@code lax} (without a
     * laxity) and {@code cfs} (as a weight).
     *
     * @param value the priority, in [{@value #MIN}, {@value #MAX}]
     */
    record Priority(int value) implements Hint {
        /** The lowest priority. */
        public static final int MIN = -255;
        /** The highest priority. */
        public static final int MAX = 255;

        /**
         * Checks the range.
         *
         * @param value the priority
         * @throws IllegalArgumentException if it is outside [{@value #MIN}, {@value #MAX}]
         */
        public Priority {
            if (value < MIN || value > MAX) {
                throw new IllegalArgumentException("priority must be in [" + MIN + ", " + MAX + "], got " + value);
            }
        }
    }

    /**
     * A relative deadline: work that becomes ready at time t should finish by t + nanos (read by
     * {@code kedf}). A deadline is a scheduling preference, not a guarantee: nothing is cancelled
     * when it passes.
     *
     * @param nanos the deadline after the queue becomes ready, in nanoseconds
     */
    record Deadline(long nanos) implements Hint {
        /**
         * Checks the value.
         *
         * @param nanos the relative deadline in nanoseconds
         * @throws IllegalArgumentException if it is not positive
         */
        public Deadline {
            if (nanos <= 0) {
                throw new IllegalArgumentException("relative deadline must be > 0 ns, got " + nanos);
            }
        }
    }

    /**
     * An absolute deadline for the queue's current job (read by {@code kedf}).
     *
     * @param atNanos the time on the scheduler's clock ({@link dev.xsched.core.SchedulerClock}),
     *                in nanoseconds; a scheduler server compares it with its own clock, by default
     *                {@link System#nanoTime()}, which the processes of one Linux host share
     */
    record AbsoluteDeadline(long atNanos) implements Hint {
    }

    /**
     * A share of the device in percent (1..100), for utilization partitioning (read by {@code up}:
     * shares are relative to the sum over the ready queues, so they need not add up to 100).
     *
     * @param percent the share
     */
    record Utilization(int percent) implements Hint {
        /**
         * Checks the range.
         *
         * @param percent the share
         * @throws IllegalArgumentException if it is outside [1, 100]
         */
        public Utilization {
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("utilization must be in [1, 100] percent, got " + percent);
            }
        }
    }

    /**
     * The length of a scheduling time slice (read by {@code up}, where it replaces the policy's
     * round for this queue). A slice ends when a policy wake-up fires, so the commands in flight
     * at that moment still run after it.
     *
     * @param nanos the slice in nanoseconds
     */
    record Timeslice(long nanos) implements Hint {
        /**
         * Checks the value.
         *
         * @param nanos the slice in nanoseconds
         * @throws IllegalArgumentException if it is not positive
         */
        public Timeslice {
            if (nanos <= 0) {
                throw new IllegalArgumentException("timeslice must be > 0 ns, got " + nanos);
            }
        }
    }

    /**
     * Laxity scheduling: the queue runs at {@code lowPriority} until {@code laxityNanos} after it
     * became ready, then at {@code criticalPriority} (read by {@code lax}).
     *
     * @param laxityNanos      how long the queue may wait at low priority, in nanoseconds
     * @param lowPriority      its priority until then, in [-255, 255]
     * @param criticalPriority its priority afterwards, in [-255, 255]
     */
    record Laxity(long laxityNanos, int lowPriority, int criticalPriority) implements Hint {
        /**
         * Checks the values.
         *
         * @param laxityNanos      the laxity in nanoseconds
         * @param lowPriority      the priority before it ends
         * @param criticalPriority the priority after it ends
         * @throws IllegalArgumentException if the laxity is negative or a priority out of range
         */
        public Laxity {
            if (laxityNanos < 0) {
                throw new IllegalArgumentException("laxity must be >= 0 ns, got " + laxityNanos);
            }
            new Priority(lowPriority);
            new Priority(criticalPriority);
        }
    }

    /**
     * A weight for proportional sharing (read by {@code cfs}: a queue's share of the device is
     * its weight over the sum of the ready queues' weights).
     *
     * @param value the weight, in [1, 10000]; 1024 is the share of a queue without a hint
     */
    record Weight(int value) implements Hint {
        /**
         * Checks the range.
         *
         * @param value the weight
         * @throws IllegalArgumentException if it is outside [1, 10000]
         */
        public Weight {
            if (value < 1 || value > 10_000) {
                throw new IllegalArgumentException("weight must be in [1, 10000], got " + value);
            }
        }
    }
}
