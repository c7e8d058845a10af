package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.internal.NativeStrings;
import dev.xsched.hip.internal.panama.cuda.CudaBindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * Return-code checking for every CUDA driver call: a result other than {@code CUDA_SUCCESS} becomes
 * a {@link HipException} with the matching HIP code and name ({@link CudaErrors}), the driver's own
 * description and the CUDA name, for example
 * {@code cuStreamSynchronize failed: hipErrorIllegalAddress (700): an illegal memory access was
 * encountered (CUDA_ERROR_ILLEGAL_ADDRESS)}.
 *
 * <p>After an error that leaves the context unusable (a kernel faulted), every later failure says
 * so and names the first one, since the driver then answers every call with the same error.
 */
final class CudaCalls {
    static final int SUCCESS = CudaBindings.CUDA_SUCCESS();
    static final int NOT_READY = CudaBindings.CUDA_ERROR_NOT_READY();
    static final int NO_DEVICE = CudaBindings.CUDA_ERROR_NO_DEVICE();
    static final String UNUSABLE_HINT = "the CUDA context is unusable after this error; restart the process";

    /** The first failure that left the context unusable, if one happened (the driver is per process). */
    private static final AtomicReference<String> FIRST_STICKY_FAILURE = new AtomicReference<>();

    private CudaCalls() {
    }

    /** Throws unless {@code rc} is {@code CUDA_SUCCESS}. */
    static void check(int rc, String call) {
        if (rc != SUCCESS) {
            throw failure(rc, call);
        }
    }

    static HipException failure(int rc, String call) {
        HipError hip = CudaErrors.toHip(rc);
        String message = errorString(rc) + " (" + errorName(rc) + ")";
        if (CudaErrors.leavesContextUnusable(rc)) {
            String first = call + " failed with " + errorName(rc);
            FIRST_STICKY_FAILURE.compareAndSet(null, first);
            String firstSeen = FIRST_STICKY_FAILURE.get();
            message += "; " + UNUSABLE_HINT + (firstSeen.equals(first) ? "" : " (first: " + firstSeen + ")");
        } else if (FIRST_STICKY_FAILURE.get() != null) {
            message += "; " + UNUSABLE_HINT + " (first: " + FIRST_STICKY_FAILURE.get() + ")";
        }
        return new HipException(hip.code(), hip.errorName(), message, call);
    }

    /** {@code cuGetErrorName}, for example {@code CUDA_ERROR_ILLEGAL_ADDRESS}. */
    static String errorName(int rc) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            if (CudaBindings.cuGetErrorName(rc, out) != SUCCESS) {
                return "CUresult " + rc;
            }
            return NativeStrings.read(out.get(ADDRESS, 0), "CUresult " + rc);
        }
    }

    /** {@code cuGetErrorString}, the driver's description; HIP's description where it has none. */
    static String errorString(int rc) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            if (CudaBindings.cuGetErrorString(rc, out) != SUCCESS) {
                return CudaErrors.toHip(rc).description();
            }
            return NativeStrings.read(out.get(ADDRESS, 0), CudaErrors.toHip(rc).description());
        }
    }

    /** One line for a reason text: {@code call returned NAME (code): description}. */
    static String describe(int rc, String call) {
        return call + " returned " + errorName(rc) + " (" + rc + "): " + errorString(rc);
    }
}
