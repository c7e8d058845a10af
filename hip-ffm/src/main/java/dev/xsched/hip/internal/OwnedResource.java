package dev.xsched.hip.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Base of every handle the user closes: a close happens once, and any use after it throws
 * {@link IllegalStateException} before a native call can see a dangling handle.
 */
public abstract class OwnedResource {
    private final AtomicBoolean closed = new AtomicBoolean();
    private final String kind;

    protected OwnedResource(String kind) {
        this.kind = kind;
    }

    public final boolean isOpen() {
        return !closed.get();
    }

    /** Throws if closed; call first in every operation. */
    protected final void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(kind + " is closed: " + this);
        }
    }

    /** Marks the resource closed; returns true only for the first call, which must free it. */
    protected final boolean markClosed() {
        return closed.compareAndSet(false, true);
    }
}
