package dev.xsched.examples.config;

import dev.xsched.core.XQueueConfig;

import java.time.Duration;

/**
 * An XQueue's {@link XQueueConfig#idlePoll() idle poll} as the examples take it, in whole
 * microseconds (a system property of the demo, an option of {@code xsched bench launch}): 0 for
 * none, else within the queue's bounds. Checked here so that a bad value is refused naming the
 * setting and in its unit, before a queue is made.
 */
public final class IdlePollMicros {
    /** {@link XQueueConfig#MIN_IDLE_POLL} in microseconds. */
    public static final long MIN = XQueueConfig.MIN_IDLE_POLL.toNanos() / 1_000;
    /** {@link XQueueConfig#IDLE_POLL_WINDOW} in microseconds. */
    public static final long MAX = XQueueConfig.IDLE_POLL_WINDOW.toNanos() / 1_000;

    private IdlePollMicros() {
    }

    /**
     * The idle poll of {@code micros} microseconds.
     *
     * @param name   the setting, for the message
     * @param micros 0 (none), or from {@link #MIN} to {@link #MAX}
     * @return the period, {@link Duration#ZERO} for none
     * @throws IllegalArgumentException if {@code micros} is out of range, naming {@code name}
     */
    public static Duration toDuration(String name, long micros) {
        if (micros != 0 && (micros < MIN || micros > MAX)) {
            throw new IllegalArgumentException(name + " must be 0 or from " + MIN + " to " + MAX + " microseconds, got "
                    + micros);
        }
        return Duration.ofNanos(micros * 1_000);
    }

    /** {@code idlePoll} in whole microseconds, as the examples' outputs give it (0: none). */
    public static long of(Duration idlePoll) {
        return idlePoll.toNanos() / 1_000;
    }
}
