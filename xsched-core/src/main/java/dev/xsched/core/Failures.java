package dev.xsched.core;

/** Collects the errors of a close that goes on after the first one. */
final class Failures {
    private Failures() {
    }

    /** {@code first}, or {@code next} if there is no first yet; a later error is kept as suppressed. */
    static RuntimeException add(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        if (next != null && next != first) {
            first.addSuppressed(next);
        }
        return first;
    }
}
