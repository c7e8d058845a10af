package dev.xsched.core;

/**
 * The scheduler's source of time, in nanoseconds. Injected so that tests run on virtual time (for
 * example the simulated GPU's clock) and never sleep.
 */
@FunctionalInterface
public interface SchedulerClock {
    long nanoTime();

    /** {@link System#nanoTime()}. */
    static SchedulerClock system() {
        return System::nanoTime;
    }
}
