package dev.xsched.hip.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A platform's native runtime, loaded at most once per process (a library stays loaded): the
 * outcome is kept, success or not. Unlike a holder class, it can say whether loading has happened
 * without causing it, so a probe can report a runtime that was loaded on request while declining
 * to load one itself.
 */
public final class RuntimeOnce {
    private final Supplier<Object> loader;
    private volatile Object result;

    /** {@code loader} returns the loaded platform or an unusable {@code Availability}; never null. */
    public RuntimeOnce(Supplier<Object> loader) {
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** The outcome, loading first if nothing was loaded yet. */
    public Object get() {
        Object outcome = result;
        if (outcome == null) {
            synchronized (this) {
                outcome = result;
                if (outcome == null) {
                    outcome = Objects.requireNonNull(loader.get(), "the loader returned null");
                    result = outcome;
                }
            }
        }
        return outcome;
    }

    /** The outcome if loading already happened; loads nothing. */
    public Optional<Object> ifLoaded() {
        return Optional.ofNullable(result);
    }
}
