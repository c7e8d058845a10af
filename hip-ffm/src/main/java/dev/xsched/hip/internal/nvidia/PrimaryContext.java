package dev.xsched.hip.internal.nvidia;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.cuCtxSetCurrent;
import static dev.xsched.hip.internal.panama.cuda.CudaBindings.cuDevicePrimaryCtxRetain;
import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * A device's primary context (the one the CUDA runtime uses too), retained once for the life of the
 * process and made current on whichever thread calls: the caller's, a scheduler's launch worker,
 * a test's. Each thread keeps a record of the context it last made current, so the launch path
 * pays one thread-local read instead of a driver call; {@code cuCtxSetCurrent} runs only when the
 * thread switches devices or has never been used with CUDA.
 *
 * <p>Virtual threads move between carrier threads while the driver's current context belongs to
 * the carrier, so for them the context is set before every call instead.
 *
 * <p>The record assumes that no other code on the thread changes the current context behind
 * hip-ffm's back (another CUDA library in the same JVM would have to restore it).
 */
final class PrimaryContext {
    private static final ThreadLocal<PrimaryContext> CURRENT = new ThreadLocal<>();

    private final int device;
    private final MemorySegment handle;

    private PrimaryContext(int device, MemorySegment handle) {
        this.device = device;
        this.handle = handle;
    }

    /** Retains the primary context of {@code cuDevice}; it is never released (the driver frees it at exit). */
    static PrimaryContext retain(int cuDevice, int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            CudaCalls.check(cuDevicePrimaryCtxRetain(out, cuDevice), "cuDevicePrimaryCtxRetain(device=" + ordinal + ")");
            return new PrimaryContext(ordinal, out.get(ADDRESS, 0));
        }
    }

    /** Makes this context current on the calling thread, unless the thread's record says it is. */
    void makeCurrent() {
        Thread thread = Thread.currentThread();
        if (!thread.isVirtual() && CURRENT.get() == this) {
            return;
        }
        CudaCalls.check(cuCtxSetCurrent(handle), "cuCtxSetCurrent(device=" + device + ")");
        if (!thread.isVirtual()) {
            CURRENT.set(this);
        }
    }

    /** Whether {@code context} (a {@code CUcontext}) is this one. */
    boolean is(MemorySegment context) {
        return context.address() == handle.address();
    }

    @Override
    public String toString() {
        return "PrimaryContext[device=" + device + "]";
    }
}
