package dev.xsched.hip.internal.blas;

import java.lang.foreign.MemorySegment;

/**
 * A vendor BLAS library on one device (cuBLAS on NVIDIA, hipBLAS on AMD), behind
 * {@link dev.xsched.hip.blas.Blas}. Implementations make the device current on the calling thread
 * before every native call and turn every status other than success into a
 * {@link dev.xsched.hip.blas.BlasException}.
 */
public interface BlasBackend {
    /** The library's name, version and file, for example {@code cuBLAS 13.0.2 (/usr/local/cuda/lib64/libcublas.so.13)}. */
    String library();

    /**
     * Throws {@link UnsupportedOperationException} if this library cannot run {@code call} at all
     * (a routine or a type it does not have), on the submitting thread, before anything is queued.
     */
    default void checkSupported(GemmCall call) {
    }

    /**
     * Creates a native handle on the device, for {@code stream}'s calls only (the caller keeps one
     * per stream); it is not bound here: {@link Handle#gemm} binds it to the stream of each call.
     */
    Handle create(MemorySegment stream);

    /** A native library handle ({@code cublasHandle_t}, {@code hipblasHandle_t}); used by one thread at a time. */
    interface Handle {
        /** Binds the handle to {@code stream} and enqueues {@code call} on it, without waiting for it. */
        void gemm(MemorySegment stream, GemmCall call);

        /** Destroys the handle; the work it enqueued must have completed. */
        void destroy();
    }
}
