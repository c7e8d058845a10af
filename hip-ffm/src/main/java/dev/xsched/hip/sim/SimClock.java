package dev.xsched.hip.sim;

/**
 * The time base of a {@link SimulatedPlatform}: nanoseconds since the platform was built. Every
 * timestamp the simulator reports ({@link KernelRecord}, {@link BlockDispatch}, event times) is on
 * this clock, so measurements taken from it are comparable with the records.
 */
@FunctionalInterface
public interface SimClock {
    /**
     * The current time, from any thread; in real time it reads {@link System#nanoTime()}.
     *
     * @return nanoseconds since the platform was built: virtual time, or wall-clock time in
     *         real-time mode; never decreasing
     */
    long nanoTime();
}
