package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;

/**
 * How many of a queue's commands may be in flight on the device (its threshold now) and how many
 * are released per sync point (its batch size now): fixed as configured, or, with a
 * {@linkplain XQueueConfig#drainBudget() drain budget}, moved after every sync point seen
 * complete so that the released work takes about that long to drain.
 *
 * <p>Why time rather than a count: what a suspend waits for with kernels that cannot yield is the
 * work in flight, whose length a count does not bound (16 kernels of 20 ms are 320 ms, 16 of 5 us
 * are 80 us), while each sync point costs the GPU about 2 us between the two kernels around it
 * (docs/reliability.md, round 18), a cost that only wide windows of short kernels avoid.
 *
 * <p>The measure is a sync point's drain time, from its record to its completion being seen: the
 * time the device took for the work in flight when it was recorded, plus however late a thread
 * looked. Late looks and other queues' work on the device only lengthen it, which narrows the
 * window: the safe direction. A look known to be late (the completion thread's single query after
 * it deferred to a releaser, up to a millisecond after the record) only widens it; a waiter that
 * first looks long after the point completed narrows it until the next sync points regrow it. The window shrinks at once to what the measure says fits the budget
 * and grows at most twofold per sync point, so a burst of short work widens it within a few sync
 * points and a long kernel narrows it at its first.
 *
 * <p>Guarded by the queue's state lock ({@link QueueState#lock}).
 */
final class ReleaseWindow {
    /** Below two, every release would wait for a host round trip while the device idles. */
    private static final int ADAPTIVE_MIN = 2;

    private final int maxThreshold;
    private final int configuredBatchSize;
    private final long budgetNanos;
    private final int minThreshold;
    private int threshold;
    private int batchSize;

    ReleaseWindow(XQueueConfig config) {
        this.maxThreshold = config.threshold();
        this.configuredBatchSize = config.batchSize();
        this.budgetNanos = config.drainBudget().toNanos();
        this.minThreshold = Math.min(ADAPTIVE_MIN, maxThreshold);
        resize(adaptive() ? Math.min(maxThreshold, XQueueConfig.ADAPTIVE_START) : maxThreshold);
    }

    /** Whether the window moves with the measured drain time (a drain budget is configured). */
    boolean adaptive() {
        return budgetNanos > 0;
    }

    /** Commands in flight at most, now. */
    int threshold() {
        return threshold;
    }

    /** Released commands per sync point, now. */
    int batchSize() {
        return batchSize;
    }

    /**
     * A sync point recorded {@code drainNanos} ago was seen complete: the window moves toward what
     * drains within the budget. A no-op for a fixed window.
     *
     * @param drainNanos the time from the sync point's record to its completion being seen
     * @param watched    whether the thread that saw it was looking for it meanwhile (polling or
     *                   blocked on it); if not, as after a deferral of the completion thread, the
     *                   time is only an upper bound on the drain: it may widen the window when it
     *                   is within the budget, and says nothing when it is not
     */
    void drained(long drainNanos, boolean watched) {
        if (!adaptive() || (!watched && drainNanos > budgetNanos)) {
            return;
        }
        // In double: the threshold times the budget (up to 10 s) overflows a long past 2^33 commands.
        double fits = (double) threshold * budgetNanos / Math.max(1, drainNanos);
        long next = (long) Math.min(fits, 2.0 * threshold);
        resize((int) Math.max(minThreshold, Math.min(maxThreshold, next)));
    }

    private void resize(int newThreshold) {
        threshold = newThreshold;
        // The configured proportion (8 of 16: a sync point halfway, so the next batch is released
        // while the device runs the rest), at least one.
        batchSize = (int) Math.max(1, (long) newThreshold * configuredBatchSize / maxThreshold);
    }
}
