package dev.xsched.hip;

/** Options of a new {@link Event}. */
public enum EventFlag {
    /** No timing data: cheaper to record; {@link Event#elapsedMillis} is unavailable. */
    DISABLE_TIMING,
    /** {@link Event#synchronize()} blocks the thread instead of spinning a core. */
    BLOCKING_SYNC
}
