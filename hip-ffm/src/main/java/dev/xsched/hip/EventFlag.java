package dev.xsched.hip;

/** Options of a new {@link Event} ({@link Device#createEvent(java.util.Set)}). */
public enum EventFlag {
    /**
     * No timing data ({@code hipEventDisableTiming}, {@code CU_EVENT_DISABLE_TIMING}): cheaper to
     * record and to wait for; {@link Event#elapsedMillis} is unavailable.
     */
    DISABLE_TIMING,
    /**
     * {@link Event#synchronize()} blocks the thread instead of spinning a core
     * ({@code hipEventBlockingSync}, {@code CU_EVENT_BLOCKING_SYNC}): less CPU, more wake-up latency.
     */
    BLOCKING_SYNC
}
