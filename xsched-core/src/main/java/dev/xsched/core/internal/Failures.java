package dev.xsched.core.internal;

/**
 * Collects the errors of a close that goes on after the first one (the scheduler's, a queue's, a
 * queue's blocking waits'). Public for the module's other packages; this package is not exported.
 */
public final class Failures {
    private Failures() {
    }

    /** {@code first}, or {@code next} if there is no first yet; a later error is kept as suppressed. */
    public static RuntimeException add(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        if (next != null && next != first) {
            first.addSuppressed(next);
        }
        return first;
    }
}
