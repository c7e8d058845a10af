package dev.xsched.hip;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Well-known {@code hipError_t} values (HIP's numbering, which follows CUDA's runtime API). Used
 * to recognise errors ({@link HipException#is(HipError)}) and by platforms that have no
 * {@code hipGetErrorName} of their own (NVIDIA, simulated). Every {@code hipError_t} that HIP's
 * CUDA-to-HIP table ({@code hipCUResultTohipError}) can produce is here.
 */
public enum HipError {
    /** {@code hipSuccess} (0): no error; never thrown, listed so that every code has a name. */
    SUCCESS(0, "hipSuccess", "no error"),
    /**
     * {@code hipErrorInvalidValue} (1): an argument is out of range (a size, flag or pointer that
     * the runtime checks).
     */
    INVALID_VALUE(1, "hipErrorInvalidValue", "invalid argument"),
    /**
     * {@code hipErrorOutOfMemory} (2): not enough free device memory (or page-locked host memory)
     * for an allocation.
     */
    OUT_OF_MEMORY(2, "hipErrorOutOfMemory", "out of memory"),
    /**
     * {@code hipErrorNotInitialized} (3): the runtime or driver is not initialised: {@code hipInit}
     * or {@code cuInit} failed or was not called.
     */
    NOT_INITIALIZED(3, "hipErrorNotInitialized", "initialization error"),
    /**
     * {@code hipErrorDeinitialized} (4): the driver is shutting down: a call made during process
     * exit.
     */
    DEINITIALIZED(4, "hipErrorDeinitialized", "driver shutting down"),
    /**
     * {@code hipErrorProfilerDisabled} (5): profiler control while an external profiling tool has
     * disabled it.
     */
    PROFILER_DISABLED(5, "hipErrorProfilerDisabled", "profiler disabled while using external profiling tool"),
    /**
     * {@code hipErrorProfilerNotInitialized} (6): profiler control before the profiler was
     * initialised.
     */
    PROFILER_NOT_INITIALIZED(6, "hipErrorProfilerNotInitialized", "profiler not initialized"),
    /** {@code hipErrorProfilerAlreadyStarted} (7): the profiler was started twice. */
    PROFILER_ALREADY_STARTED(7, "hipErrorProfilerAlreadyStarted", "profiler already started"),
    /** {@code hipErrorProfilerAlreadyStopped} (8): the profiler was stopped twice. */
    PROFILER_ALREADY_STOPPED(8, "hipErrorProfilerAlreadyStopped", "profiler already stopped"),
    /**
     * {@code hipErrorInvalidConfiguration} (9): a launch configuration the device cannot run: too
     * many threads per block, a block or grid dimension above its limit, or too much shared memory.
     */
    INVALID_CONFIGURATION(9, "hipErrorInvalidConfiguration", "invalid configuration argument"),
    /** {@code hipErrorInvalidSymbol} (13): a device symbol that the module does not have. */
    INVALID_SYMBOL(13, "hipErrorInvalidSymbol", "invalid device symbol"),
    /**
     * {@code hipErrorInvalidDevicePointer} (17): a pointer that is not device memory of this
     * context (freed, or host memory).
     */
    INVALID_DEVICE_POINTER(17, "hipErrorInvalidDevicePointer", "invalid device pointer"),
    /**
     * {@code hipErrorInvalidMemcpyDirection} (21): a copy whose direction does not match its
     * pointers.
     */
    INVALID_MEMCPY_DIRECTION(21, "hipErrorInvalidMemcpyDirection", "invalid copy direction for memcpy"),
    /**
     * {@code hipErrorInsufficientDriver} (35): the installed driver is older than the runtime
     * needs.
     */
    INSUFFICIENT_DRIVER(35, "hipErrorInsufficientDriver", "driver version is insufficient for runtime version"),
    /**
     * {@code hipErrorNoDevice} (100): no GPU is visible to the runtime (none installed, none left
     * by {@code CUDA_VISIBLE_DEVICES} or {@code HIP_VISIBLE_DEVICES}, or no access to the device
     * nodes).
     */
    NO_DEVICE(100, "hipErrorNoDevice", "no ROCm-capable device is detected"),
    /** {@code hipErrorInvalidDevice} (101): a device ordinal outside {@code 0..deviceCount - 1}. */
    INVALID_DEVICE(101, "hipErrorInvalidDevice", "invalid device ordinal"),
    /**
     * {@code hipErrorInvalidImage} (200): a code object the driver cannot load (corrupt, or not a
     * code object).
     */
    INVALID_IMAGE(200, "hipErrorInvalidImage", "device kernel image is invalid"),
    /**
     * {@code hipErrorInvalidContext} (201): no valid context is current on the calling thread, or
     * it was destroyed.
     */
    INVALID_CONTEXT(201, "hipErrorInvalidContext", "invalid device context"),
    /**
     * {@code hipErrorContextAlreadyCurrent} (202): the context is already current on the calling
     * thread.
     */
    CONTEXT_ALREADY_CURRENT(202, "hipErrorContextAlreadyCurrent", "context is already current"),
    /**
     * {@code hipErrorMapFailed} (205): mapping memory (for example page-locked host memory into the
     * device) failed.
     */
    MAP_FAILED(205, "hipErrorMapFailed", "mapping of buffer object failed"),
    /** {@code hipErrorUnmapFailed} (206): unmapping memory failed. */
    UNMAP_FAILED(206, "hipErrorUnmapFailed", "unmapping of buffer object failed"),
    /** {@code hipErrorArrayIsMapped} (207): the array is mapped and cannot be destroyed. */
    ARRAY_IS_MAPPED(207, "hipErrorArrayIsMapped", "array is mapped"),
    /** {@code hipErrorAlreadyMapped} (208): the resource is already mapped. */
    ALREADY_MAPPED(208, "hipErrorAlreadyMapped", "resource already mapped"),
    /**
     * {@code hipErrorNoBinaryForGpu} (209): the code object has no code for this device's
     * architecture: it was compiled for another target.
     */
    NO_BINARY_FOR_GPU(209, "hipErrorNoBinaryForGpu", "no kernel image is available for execution on the device"),
    /** {@code hipErrorAlreadyAcquired} (210): the resource was already acquired. */
    ALREADY_ACQUIRED(210, "hipErrorAlreadyAcquired", "resource already acquired"),
    /** {@code hipErrorNotMapped} (211): the resource is not mapped. */
    NOT_MAPPED(211, "hipErrorNotMapped", "resource not mapped"),
    /** {@code hipErrorNotMappedAsArray} (212): the resource is not mapped as an array. */
    NOT_MAPPED_AS_ARRAY(212, "hipErrorNotMappedAsArray", "resource not mapped as array"),
    /** {@code hipErrorNotMappedAsPointer} (213): the resource is not mapped as a pointer. */
    NOT_MAPPED_AS_POINTER(213, "hipErrorNotMappedAsPointer", "resource not mapped as pointer"),
    /** {@code hipErrorECCNotCorrectable} (214): an uncorrectable ECC error in device memory. */
    ECC_NOT_CORRECTABLE(214, "hipErrorECCNotCorrectable", "uncorrectable ECC error encountered"),
    /**
     * {@code hipErrorUnsupportedLimit} (215): a device limit that this architecture does not
     * support.
     */
    UNSUPPORTED_LIMIT(215, "hipErrorUnsupportedLimit", "limit is not supported on this architecture"),
    /**
     * {@code hipErrorContextAlreadyInUse} (216): the device is in exclusive compute mode and
     * another thread or process holds it.
     */
    CONTEXT_ALREADY_IN_USE(216, "hipErrorContextAlreadyInUse", "exclusive-thread device already in use by a different thread"),
    /**
     * {@code hipErrorPeerAccessUnsupported} (217): peer-to-peer access between these two devices is
     * not supported.
     */
    PEER_ACCESS_UNSUPPORTED(217, "hipErrorPeerAccessUnsupported", "peer access is not supported between these two devices"),
    /**
     * {@code hipErrorInvalidKernelFile} (218): the driver could not compile or read the kernel
     * image (on NVIDIA, invalid PTX).
     */
    INVALID_KERNEL_FILE(218, "hipErrorInvalidKernelFile", "invalid kernel file"),
    /**
     * {@code hipErrorInvalidGraphicsContext} (219): an OpenGL or DirectX context that is not valid
     * for interoperation.
     */
    INVALID_GRAPHICS_CONTEXT(219, "hipErrorInvalidGraphicsContext", "invalid OpenGL or DirectX context"),
    /**
     * {@code hipErrorInvalidSource} (300): the kernel source or image given to the driver is
     * invalid.
     */
    INVALID_SOURCE(300, "hipErrorInvalidSource", "device kernel image is invalid"),
    /**
     * {@code hipErrorFileNotFound} (301): a file named to the runtime (a code object to load) does
     * not exist.
     */
    FILE_NOT_FOUND(301, "hipErrorFileNotFound", "file not found"),
    /**
     * {@code hipErrorSharedObjectSymbolNotFound} (302): a symbol could not be resolved while a
     * module was loaded.
     */
    SHARED_OBJECT_SYMBOL_NOT_FOUND(302, "hipErrorSharedObjectSymbolNotFound", "shared object symbol not found"),
    /**
     * {@code hipErrorSharedObjectInitFailed} (303): a module's initialisation failed while it was
     * loaded.
     */
    SHARED_OBJECT_INIT_FAILED(303, "hipErrorSharedObjectInitFailed", "shared object initialization failed"),
    /**
     * {@code hipErrorOperatingSystem} (304): an operating system call failed, or the operation is
     * not supported on this OS.
     */
    OPERATING_SYSTEM(304, "hipErrorOperatingSystem", "OS call failed or operation not supported on this OS"),
    /**
     * {@code hipErrorInvalidHandle} (400): a handle that is not valid: a destroyed stream or event,
     * or an event without timing or never recorded given to {@link Event#elapsedMillis}.
     */
    INVALID_HANDLE(400, "hipErrorInvalidHandle", "invalid resource handle"),
    /**
     * {@code hipErrorIllegalState} (401): the operation cannot be performed in the object's present
     * state.
     */
    ILLEGAL_STATE(401, "hipErrorIllegalState", "the operation cannot be performed in the present state"),
    /**
     * {@code hipErrorNotFound} (500): a named symbol that the module does not have:
     * {@link HipModule#function} with a wrong kernel name (C++ names are mangled unless declared
     * {@code extern "C"}).
     */
    NOT_FOUND(500, "hipErrorNotFound", "named symbol not found"),
    /**
     * {@code hipErrorNotReady} (600): work is not finished yet. {@link CommandQueue#isIdle()} and
     * {@link Event#isComplete()} answer false instead; {@link Event#elapsedMillis} of an incomplete
     * event throws it.
     */
    NOT_READY(600, "hipErrorNotReady", "device not ready"),
    /**
     * {@code hipErrorIllegalAddress} (700): a kernel accessed memory it must not (out of bounds,
     * freed, unmapped host memory). Sticky on NVIDIA: every later call of the process fails with
     * it.
     */
    ILLEGAL_ADDRESS(700, "hipErrorIllegalAddress", "an illegal memory access was encountered"),
    /**
     * {@code hipErrorLaunchOutOfResources} (701): a launch needs more registers or shared memory
     * for its block size than the device has.
     */
    LAUNCH_OUT_OF_RESOURCES(701, "hipErrorLaunchOutOfResources", "too many resources requested for launch"),
    /**
     * {@code hipErrorLaunchTimeOut} (702): a kernel ran longer than the watchdog allows (a device
     * that also drives a display). Sticky on NVIDIA.
     */
    LAUNCH_TIMEOUT(702, "hipErrorLaunchTimeOut", "the launch timed out and was terminated"),
    /**
     * {@code hipErrorPeerAccessAlreadyEnabled} (704): peer access was already enabled between these
     * devices.
     */
    PEER_ACCESS_ALREADY_ENABLED(704, "hipErrorPeerAccessAlreadyEnabled", "peer access is already enabled"),
    /**
     * {@code hipErrorPeerAccessNotEnabled} (705): peer access was not enabled between these
     * devices.
     */
    PEER_ACCESS_NOT_ENABLED(705, "hipErrorPeerAccessNotEnabled", "peer access has not been enabled"),
    /**
     * {@code hipErrorSetOnActiveProcess} (708): a device setting that can only be changed before
     * the device is used in this process (on NVIDIA, the primary context is already active).
     */
    SET_ON_ACTIVE_PROCESS(708, "hipErrorSetOnActiveProcess", "cannot set while device is active in this process"),
    /**
     * {@code hipErrorContextIsDestroyed} (709): the context was destroyed while the call used it.
     */
    CONTEXT_IS_DESTROYED(709, "hipErrorContextIsDestroyed", "context is destroyed"),
    /**
     * {@code hipErrorAssert} (710): a kernel's device-side {@code assert} failed. Sticky on NVIDIA.
     */
    ASSERT(710, "hipErrorAssert", "device-side assert triggered"),
    /**
     * {@code hipErrorHostMemoryAlreadyRegistered} (712): part or all of a host range is already
     * registered (page-locked).
     */
    HOST_MEMORY_ALREADY_REGISTERED(712, "hipErrorHostMemoryAlreadyRegistered", "part or all of the requested memory range is already mapped"),
    /**
     * {@code hipErrorHostMemoryNotRegistered} (713): a host pointer that does not belong to
     * registered (page-locked) memory.
     */
    HOST_MEMORY_NOT_REGISTERED(713, "hipErrorHostMemoryNotRegistered", "pointer does not correspond to a registered memory region"),
    /**
     * {@code hipErrorLaunchFailure} (719): a kernel failed while running, for an unspecified
     * reason. Sticky on NVIDIA, where other kernel faults (an illegal instruction, a misaligned
     * address) are {@link #UNKNOWN} with the CUDA name in the message.
     */
    LAUNCH_FAILURE(719, "hipErrorLaunchFailure", "unspecified launch failure"),
    /**
     * {@code hipErrorCooperativeLaunchTooLarge} (720): a cooperative launch has more blocks than
     * can be resident at once.
     */
    COOPERATIVE_LAUNCH_TOO_LARGE(720, "hipErrorCooperativeLaunchTooLarge", "too many blocks in cooperative launch"),
    /**
     * {@code hipErrorNotSupported} (801): the operation is not supported on this device, driver or
     * platform.
     */
    NOT_SUPPORTED(801, "hipErrorNotSupported", "operation not supported"),
    /**
     * {@code hipErrorStreamCaptureUnsupported} (900): the operation is not permitted while its
     * stream is captured into a graph.
     */
    STREAM_CAPTURE_UNSUPPORTED(900, "hipErrorStreamCaptureUnsupported", "operation not permitted when stream is capturing"),
    /**
     * {@code hipErrorStreamCaptureInvalidated} (901): a stream capture was invalidated by an
     * earlier error.
     */
    STREAM_CAPTURE_INVALIDATED(901, "hipErrorStreamCaptureInvalidated", "operation failed due to a previous error during capture"),
    /**
     * {@code hipErrorStreamCaptureMerge} (902): the operation would merge two separate stream
     * captures.
     */
    STREAM_CAPTURE_MERGE(902, "hipErrorStreamCaptureMerge", "operation would result in a merge of separate capture sequences"),
    /**
     * {@code hipErrorStreamCaptureUnmatched} (903): a capture was not ended in the stream that
     * began it.
     */
    STREAM_CAPTURE_UNMATCHED(903, "hipErrorStreamCaptureUnmatched", "capture was not ended in the same stream as it began"),
    /**
     * {@code hipErrorStreamCaptureUnjoined} (904): a capture ended with work of a forked stream not
     * joined back.
     */
    STREAM_CAPTURE_UNJOINED(904, "hipErrorStreamCaptureUnjoined", "capturing stream has unjoined work"),
    /**
     * {@code hipErrorStreamCaptureIsolation} (905): a capture would depend on uncaptured work of
     * another stream.
     */
    STREAM_CAPTURE_ISOLATION(905, "hipErrorStreamCaptureIsolation", "dependency created on uncaptured work in another stream"),
    /**
     * {@code hipErrorStreamCaptureImplicit} (906): the operation would make the legacy default
     * stream depend on a capturing stream.
     */
    STREAM_CAPTURE_IMPLICIT(906, "hipErrorStreamCaptureImplicit", "operation would make the legacy stream depend on a capturing blocking stream"),
    /**
     * {@code hipErrorCapturedEvent} (907): the operation is not permitted on an event last recorded
     * in a capturing stream.
     */
    CAPTURED_EVENT(907, "hipErrorCapturedEvent", "operation not permitted on an event last recorded in a capturing stream"),
    /**
     * {@code hipErrorStreamCaptureWrongThread} (908): a thread-local capture was ended from another
     * thread.
     */
    STREAM_CAPTURE_WRONG_THREAD(908, "hipErrorStreamCaptureWrongThread", "attempt to terminate a thread-local capture sequence from another thread"),
    /**
     * {@code hipErrorGraphExecUpdateFailure} (910): an instantiated graph could not be updated in
     * place.
     */
    GRAPH_EXEC_UPDATE_FAILURE(910, "hipErrorGraphExecUpdateFailure", "the graph update was not performed because it included changes which violated constraints specific to instantiated graph update"),
    /**
     * {@code hipErrorUnknown} (999): an error without a HIP equivalent. On NVIDIA every
     * {@code CUresult} that HIP's table does not map becomes this code, with the CUDA name in the
     * message.
     */
    UNKNOWN(999, "hipErrorUnknown", "unknown error"),
    /**
     * {@code hipErrorRuntimeMemory} (1052): a memory call inside the HIP runtime failed (HIP only).
     */
    RUNTIME_MEMORY(1052, "hipErrorRuntimeMemory", "runtime memory call returned error"),
    /**
     * {@code hipErrorRuntimeOther} (1053): a call other than a memory call inside the HIP runtime
     * failed (HIP only).
     */
    RUNTIME_OTHER(1053, "hipErrorRuntimeOther", "runtime call other than memory returned error");

    private static final Map<Integer, HipError> BY_CODE =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(HipError::code, Function.identity()));

    private final int code;
    private final String errorName;
    private final String description;

    HipError(int code, String errorName, String description) {
        this.code = code;
        this.errorName = errorName;
        this.description = description;
    }

    /**
     * The numeric {@code hipError_t} value, what {@link HipException#code()} carries.
     *
     * @return the code, for example 2 for {@link #OUT_OF_MEMORY}
     */
    public int code() {
        return code;
    }

    /**
     * HIP's symbolic name, as {@code hipGetErrorName} returns it.
     *
     * @return for example {@code hipErrorOutOfMemory}
     */
    public String errorName() {
        return errorName;
    }

    /**
     * HIP's description, as {@code hipGetErrorString} returns it.
     *
     * @return for example {@code out of memory}
     */
    public String description() {
        return description;
    }

    /**
     * The error with this code, if it is in the table.
     *
     * @param code a {@code hipError_t} value
     * @return the error, or empty for a code the table does not name
     */
    public static Optional<HipError> fromCode(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }
}
