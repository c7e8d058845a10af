package dev.xsched.hip.internal;

/**
 * Base of every handle the user closes: a close happens once, any use after it throws
 * {@link IllegalStateException}, and a native call that passes the handle holds it open
 * ({@link #enterUse()} ... {@link #exitUse()}), so the close frees it only after that call
 * returned: no native call can see a dangling handle, whichever thread closes.
 *
 * <p>A use must not run the caller's code, and a thread must not close a resource it is using (see
 * {@link UseGate}); a close from inside a use would wait for itself.
 */
public abstract class OwnedResource {
    private final UseGate gate = new UseGate();
    private final String kind;

    protected OwnedResource(String kind) {
        this.kind = kind;
    }

    public final boolean isOpen() {
        return !gate.isClosed();
    }

    /** Throws if closed; call first in every operation. */
    protected final void ensureOpen() {
        if (gate.isClosed()) {
            throw closed();
        }
    }

    /**
     * Holds the resource open for one native call; pair with {@link #exitUse()} in a finally.
     * Throws, as {@link #ensureOpen()} does, if the resource is closed.
     */
    protected final void enterUse() {
        if (!gate.tryEnter()) {
            throw closed();
        }
    }

    /** Ends a use that {@link #enterUse()} began. */
    protected final void exitUse() {
        gate.exit();
    }

    /**
     * Marks the resource closed; returns true only for the first call, which must free it, once
     * every use in progress has ended.
     */
    protected final boolean markClosed() {
        return gate.close();
    }

    private IllegalStateException closed() {
        return new IllegalStateException(kind + " is closed: " + this);
    }
}
