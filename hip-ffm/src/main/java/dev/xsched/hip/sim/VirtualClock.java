package dev.xsched.hip.sim;

/**
 * The manual clock of a virtual-time {@link SimulatedPlatform}. Time moves only when a caller
 * moves it: through these methods, or through a blocking call (a {@code synchronize}, a
 * {@code copyAndWait}) which advances exactly as far as its condition needs. Every block, copy and
 * event completion due on the way is processed in time order, on the calling thread, before the
 * call returns; completions at the same instant are processed in the order they were scheduled.
 */
public interface VirtualClock extends SimClock {
    /**
     * Moves time forward by {@code nanos}, processing everything that completes until then.
     *
     * @param nanos the step in nanoseconds, {@code >= 0}
     *
     * @throws IllegalArgumentException if {@code nanos} is negative
     */
    void advanceBy(long nanos);

    /**
     * Moves time forward to {@code nanoTime}, processing everything that completes until then.
     *
     * @param nanoTime the new time, in {@link SimClock} nanoseconds
     *
     * @throws IllegalArgumentException if {@code nanoTime} lies before {@link #nanoTime()}
     */
    void advanceTo(long nanoTime);

    /**
     * Moves time forward until every stream of every device is idle, and returns that time.
     *
     * @return the time at which the last work completed (the current time if all was idle)
     *
     * @throws IllegalStateException if some stream can never become idle (it waits for an event
     *                               whose record can never complete)
     */
    long runUntilIdle();
}
