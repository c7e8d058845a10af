package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;

/**
 * Whether the completion thread, finding nothing to do, looks again after a period or sleeps
 * until a release wakes it ({@link XQueueConfig#idlePoll()}): it polls within
 * {@link XQueueConfig#IDLE_POLL_WINDOW} of the last work it saw, and meanwhile the release that
 * starts a burst does not wake it ({@code QueueState.completionThreadPolls}), which would cost the
 * submitting thread a wake-up before its next command.
 *
 * <p>Used by the completion thread alone, under the queue's state lock; times are
 * {@link System#nanoTime()}, as the thread's waits are.
 */
final class IdlePoll {
    private final long periodNanos;
    private final long windowNanos;
    /** The thread polls while the clock is before this; it starts in the past (nothing seen yet). */
    private long until;

    /**
     * @param periodNanos the period, 0 for never polling
     * @param windowNanos how long after the last work seen it polls
     * @param now         the clock now
     */
    IdlePoll(long periodNanos, long windowNanos, long now) {
        if (periodNanos < 0 || windowNanos < 0) {
            throw new IllegalArgumentException("need a period and a window >= 0, got " + periodNanos + " and " + windowNanos + " ns");
        }
        this.periodNanos = periodNanos;
        this.windowNanos = windowNanos;
        this.until = now;
    }

    static IdlePoll of(XQueueConfig config, long now) {
        return new IdlePoll(config.idlePoll().toNanos(), XQueueConfig.IDLE_POLL_WINDOW.toNanos(), now);
    }

    boolean enabled() {
        return periodNanos > 0;
    }

    /** The thread saw work at {@code now}: the window runs from here. */
    void sawWork(long now) {
        until = now + windowNanos;
    }

    /** {@link #sawWork} now; reads no clock where polling is off, as on every queue by default. */
    void sawWorkNow() {
        if (enabled()) {
            sawWork(System.nanoTime());
        }
    }

    /** {@link #waitNanos} from now; reads no clock where polling is off, as {@link #sawWorkNow} does. */
    long waitNanosNow() {
        return enabled() ? waitNanos(System.nanoTime()) : 0;
    }

    /**
     * How long to wait before looking again, from {@code now}: a period, or what is left of the
     * window if less, so the thread never polls past it; 0 or less: sleep until woken.
     */
    long waitNanos(long now) {
        long left = until - now;
        return enabled() && left > 0 ? Math.min(periodNanos, left) : 0;
    }
}
