package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.HipError;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.*;

/**
 * CUDA driver results ({@code CUresult}) as HIP errors, following HIP's own CUDA-to-HIP table
 * ({@code hipCUResultTohipError} in HIP's {@code nvidia_detail/nvidia_hip_runtime_api.h}): a program
 * that checks {@link dev.xsched.hip.HipException#is(HipError)} behaves the same on both platforms.
 * A result that table does not name becomes {@link HipError#UNKNOWN}, as in HIP; the CUDA name is
 * kept in the exception's message. Pure Java: nothing here calls the driver.
 */
final class CudaErrors {
    private static final Map<Integer, HipError> TO_HIP = table();

    /**
     * Results after which the CUDA context is unusable: the driver documents that "any further
     * CUDA work will return the same error" and that the process must be restarted.
     */
    private static final Set<Integer> STICKY = Set.of(
            CUDA_ERROR_ILLEGAL_ADDRESS(),
            CUDA_ERROR_LAUNCH_TIMEOUT(),
            CUDA_ERROR_ASSERT(),
            CUDA_ERROR_HARDWARE_STACK_ERROR(),
            CUDA_ERROR_ILLEGAL_INSTRUCTION(),
            CUDA_ERROR_MISALIGNED_ADDRESS(),
            CUDA_ERROR_INVALID_ADDRESS_SPACE(),
            CUDA_ERROR_INVALID_PC(),
            CUDA_ERROR_LAUNCH_FAILED(),
            CUDA_ERROR_TENSOR_MEMORY_LEAK(),
            CUDA_ERROR_MPS_CLIENT_TERMINATED());

    private CudaErrors() {
    }

    private static Map<Integer, HipError> table() {
        Map<Integer, HipError> t = new HashMap<>();
        t.put(CUDA_SUCCESS(), HipError.SUCCESS);
        t.put(CUDA_ERROR_OUT_OF_MEMORY(), HipError.OUT_OF_MEMORY);
        t.put(CUDA_ERROR_INVALID_VALUE(), HipError.INVALID_VALUE);
        t.put(CUDA_ERROR_INVALID_DEVICE(), HipError.INVALID_DEVICE);
        t.put(CUDA_ERROR_DEINITIALIZED(), HipError.DEINITIALIZED);
        t.put(CUDA_ERROR_NO_DEVICE(), HipError.NO_DEVICE);
        t.put(CUDA_ERROR_INVALID_CONTEXT(), HipError.INVALID_CONTEXT);
        t.put(CUDA_ERROR_NOT_INITIALIZED(), HipError.NOT_INITIALIZED);
        t.put(CUDA_ERROR_INVALID_HANDLE(), HipError.INVALID_HANDLE);
        t.put(CUDA_ERROR_MAP_FAILED(), HipError.MAP_FAILED);
        t.put(CUDA_ERROR_PROFILER_DISABLED(), HipError.PROFILER_DISABLED);
        t.put(CUDA_ERROR_PROFILER_NOT_INITIALIZED(), HipError.PROFILER_NOT_INITIALIZED);
        t.put(CUDA_ERROR_PROFILER_ALREADY_STARTED(), HipError.PROFILER_ALREADY_STARTED);
        t.put(CUDA_ERROR_PROFILER_ALREADY_STOPPED(), HipError.PROFILER_ALREADY_STOPPED);
        t.put(CUDA_ERROR_INVALID_IMAGE(), HipError.INVALID_IMAGE);
        t.put(CUDA_ERROR_CONTEXT_ALREADY_CURRENT(), HipError.CONTEXT_ALREADY_CURRENT);
        t.put(CUDA_ERROR_UNMAP_FAILED(), HipError.UNMAP_FAILED);
        t.put(CUDA_ERROR_ARRAY_IS_MAPPED(), HipError.ARRAY_IS_MAPPED);
        t.put(CUDA_ERROR_ALREADY_MAPPED(), HipError.ALREADY_MAPPED);
        t.put(CUDA_ERROR_NO_BINARY_FOR_GPU(), HipError.NO_BINARY_FOR_GPU);
        t.put(CUDA_ERROR_ALREADY_ACQUIRED(), HipError.ALREADY_ACQUIRED);
        t.put(CUDA_ERROR_NOT_MAPPED(), HipError.NOT_MAPPED);
        t.put(CUDA_ERROR_NOT_MAPPED_AS_ARRAY(), HipError.NOT_MAPPED_AS_ARRAY);
        t.put(CUDA_ERROR_NOT_MAPPED_AS_POINTER(), HipError.NOT_MAPPED_AS_POINTER);
        t.put(CUDA_ERROR_ECC_UNCORRECTABLE(), HipError.ECC_NOT_CORRECTABLE);
        t.put(CUDA_ERROR_UNSUPPORTED_LIMIT(), HipError.UNSUPPORTED_LIMIT);
        t.put(CUDA_ERROR_CONTEXT_ALREADY_IN_USE(), HipError.CONTEXT_ALREADY_IN_USE);
        t.put(CUDA_ERROR_PEER_ACCESS_UNSUPPORTED(), HipError.PEER_ACCESS_UNSUPPORTED);
        t.put(CUDA_ERROR_INVALID_PTX(), HipError.INVALID_KERNEL_FILE);
        t.put(CUDA_ERROR_INVALID_GRAPHICS_CONTEXT(), HipError.INVALID_GRAPHICS_CONTEXT);
        t.put(CUDA_ERROR_INVALID_SOURCE(), HipError.INVALID_SOURCE);
        t.put(CUDA_ERROR_FILE_NOT_FOUND(), HipError.FILE_NOT_FOUND);
        t.put(CUDA_ERROR_SHARED_OBJECT_SYMBOL_NOT_FOUND(), HipError.SHARED_OBJECT_SYMBOL_NOT_FOUND);
        t.put(CUDA_ERROR_SHARED_OBJECT_INIT_FAILED(), HipError.SHARED_OBJECT_INIT_FAILED);
        t.put(CUDA_ERROR_OPERATING_SYSTEM(), HipError.OPERATING_SYSTEM);
        t.put(CUDA_ERROR_ILLEGAL_STATE(), HipError.ILLEGAL_STATE);
        t.put(CUDA_ERROR_NOT_FOUND(), HipError.NOT_FOUND);
        t.put(CUDA_ERROR_NOT_READY(), HipError.NOT_READY);
        t.put(CUDA_ERROR_ILLEGAL_ADDRESS(), HipError.ILLEGAL_ADDRESS);
        t.put(CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES(), HipError.LAUNCH_OUT_OF_RESOURCES);
        t.put(CUDA_ERROR_LAUNCH_TIMEOUT(), HipError.LAUNCH_TIMEOUT);
        t.put(CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED(), HipError.PEER_ACCESS_ALREADY_ENABLED);
        t.put(CUDA_ERROR_PEER_ACCESS_NOT_ENABLED(), HipError.PEER_ACCESS_NOT_ENABLED);
        t.put(CUDA_ERROR_PRIMARY_CONTEXT_ACTIVE(), HipError.SET_ON_ACTIVE_PROCESS);
        t.put(CUDA_ERROR_CONTEXT_IS_DESTROYED(), HipError.CONTEXT_IS_DESTROYED);
        t.put(CUDA_ERROR_ASSERT(), HipError.ASSERT);
        t.put(CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED(), HipError.HOST_MEMORY_ALREADY_REGISTERED);
        t.put(CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED(), HipError.HOST_MEMORY_NOT_REGISTERED);
        t.put(CUDA_ERROR_LAUNCH_FAILED(), HipError.LAUNCH_FAILURE);
        t.put(CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE(), HipError.COOPERATIVE_LAUNCH_TOO_LARGE);
        t.put(CUDA_ERROR_NOT_SUPPORTED(), HipError.NOT_SUPPORTED);
        t.put(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED(), HipError.STREAM_CAPTURE_UNSUPPORTED);
        t.put(CUDA_ERROR_STREAM_CAPTURE_INVALIDATED(), HipError.STREAM_CAPTURE_INVALIDATED);
        t.put(CUDA_ERROR_STREAM_CAPTURE_MERGE(), HipError.STREAM_CAPTURE_MERGE);
        t.put(CUDA_ERROR_STREAM_CAPTURE_UNMATCHED(), HipError.STREAM_CAPTURE_UNMATCHED);
        t.put(CUDA_ERROR_STREAM_CAPTURE_UNJOINED(), HipError.STREAM_CAPTURE_UNJOINED);
        t.put(CUDA_ERROR_STREAM_CAPTURE_ISOLATION(), HipError.STREAM_CAPTURE_ISOLATION);
        t.put(CUDA_ERROR_STREAM_CAPTURE_IMPLICIT(), HipError.STREAM_CAPTURE_IMPLICIT);
        t.put(CUDA_ERROR_CAPTURED_EVENT(), HipError.CAPTURED_EVENT);
        t.put(CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD(), HipError.STREAM_CAPTURE_WRONG_THREAD);
        t.put(CUDA_ERROR_GRAPH_EXEC_UPDATE_FAILURE(), HipError.GRAPH_EXEC_UPDATE_FAILURE);
        t.put(CUDA_ERROR_UNKNOWN(), HipError.UNKNOWN);
        return Map.copyOf(t);
    }

    /** The HIP error HIP itself reports for {@code cuResult}; {@link HipError#UNKNOWN} when HIP has none. */
    static HipError toHip(int cuResult) {
        return TO_HIP.getOrDefault(cuResult, HipError.UNKNOWN);
    }

    /** Whether the context cannot be used any more after {@code cuResult} (a kernel faulted). */
    static boolean leavesContextUnusable(int cuResult) {
        return STICKY.contains(cuResult);
    }
}
