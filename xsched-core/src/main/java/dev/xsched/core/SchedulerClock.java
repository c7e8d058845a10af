package dev.xsched.core;

/**
 * The scheduler's source of time, in nanoseconds. Injected so that tests run on virtual time (for
 * example the simulated GPU's clock) and never sleep.
 */
@FunctionalInterface
public interface SchedulerClock {
    /**
     * The current time. Only differences matter (the origin is arbitrary, as for
     * {@link System#nanoTime()}); it must never go backwards, and is read from the scheduling
     * thread, the completion threads and the submitting threads at once, so it must be thread-safe.
     *
     * @return the time in nanoseconds
     */
    long nanoTime();

    /**
     * The production clock.
     *
     * @return a clock reading {@link System#nanoTime()}
     */
    static SchedulerClock system() {
        return System::nanoTime;
    }
}
