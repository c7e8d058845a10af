package dev.xsched.hip;

import java.lang.foreign.MemorySegment;
import java.util.Set;

/**
 * One GPU of a {@link HipPlatform}: its attributes, and the factory of streams, events, memory and
 * modules on it.
 *
 * <p>Thread-safe. Every factory method checks its arguments first, then makes this device current
 * on the calling thread ({@code hipSetDevice} on AMD; the device's primary context, through
 * {@code cuCtxSetCurrent}, on NVIDIA), then makes one native call whose failure is a
 * {@link HipException}. Code that mixes hip-ffm with other HIP or CUDA code on one thread must
 * therefore not rely on the thread's current device across these calls. Everything a factory
 * returns is owned by the caller, who closes it; nothing is closed with the device, which lives as
 * long as its platform.
 *
 * <p>On the simulated platform the attributes are an H200's except the configured compute units,
 * and memory and streams exist only inside the simulator (no native handles).
 */
public interface Device {
    /**
     * The device's ordinal on its platform.
     *
     * @return {@code 0 <= index < platform().deviceCount()}
     */
    int index();

    /**
     * The platform this device belongs to.
     *
     * @return the platform that made this device
     */
    HipPlatform platform();

    /**
     * The device's UUID, the same in every process whatever the ordinals are
     * ({@code CUDA_VISIBLE_DEVICES}/{@code HIP_VISIBLE_DEVICES} may differ): from
     * {@code cuDeviceGetUuid} or {@code hipDeviceGetUuid}; a simulated device has a fixed one per index.
     *
     * @return the UUID, read from the driver on every call
     * @throws HipException if the driver call fails
     */
    java.util.UUID uuid();

    /**
     * The marketing name ({@code hipDeviceGetName}, {@code cuDeviceGetName}), read when the
     * platform was opened.
     *
     * @return for example {@code NVIDIA H200} or {@code AMD Instinct MI250X}; a simulated device
     *         says {@code Simulated GPU (132 CUs)}
     */
    String name();

    /**
     * The architecture compiled for: {@link KernelCompiler} targets it by default, and a
     * {@link CodeObject} loaded here must have been compiled for it.
     *
     * @return for example {@code gfx90a} (AMD) or {@code sm_90} (NVIDIA, from the compute
     *         capability); {@code sim} on the simulated platform
     */
    String architecture();

    /**
     * Reads one attribute from the driver ({@code hipDeviceGetAttribute},
     * {@code cuDeviceGetAttribute}). Not cached: cache values read on a hot path.
     *
     * @param attribute which attribute
     * @return its value, in the unit {@link DeviceAttribute} states
     * @throws HipException if the driver call fails
     */
    int attribute(DeviceAttribute attribute);

    /**
     * {@link DeviceAttribute#COMPUTE_UNITS}: the units thread blocks are distributed over.
     *
     * @return compute units (AMD) or streaming multiprocessors (NVIDIA)
     */
    default int computeUnits() {
        return attribute(DeviceAttribute.COMPUTE_UNITS);
    }

    /**
     * {@link DeviceAttribute#CLOCK_RATE_KHZ}: the peak core clock.
     *
     * @return the clock in kHz
     */
    default int clockRateKHz() {
        return attribute(DeviceAttribute.CLOCK_RATE_KHZ);
    }

    /**
     * {@link DeviceAttribute#WARP_SIZE}: threads that execute in lock step.
     *
     * @return 32 on NVIDIA, 64 on AMD Instinct (CDNA) GPUs, 32 on RDNA
     */
    default int warpSize() {
        return attribute(DeviceAttribute.WARP_SIZE);
    }

    /**
     * Global memory ({@code hipDeviceTotalMem}, {@code cuDeviceTotalMem}); the simulated device
     * reports its configured size.
     *
     * @return the size in bytes
     * @throws HipException if the driver call fails
     */
    long totalMemory();

    /**
     * The stream priorities this device accepts, read when the platform was opened
     * ({@code hipDeviceGetStreamPriorityRange}, {@code cuCtxGetStreamPriorityRange}).
     *
     * @return the range; {@code [0, -5]} on an H200 and by default on the simulated device
     */
    PriorityRange streamPriorityRange();

    /**
     * A stream at the default (lowest) priority, {@code streamPriorityRange().least()}.
     *
     * @return a new stream, owned by the caller
     * @throws HipException if the driver call fails
     */
    default Stream createStream() {
        return createStream(streamPriorityRange().least());
    }

    /**
     * A non-blocking stream (no implicit synchronization with the null stream) at {@code priority}:
     * {@code hipStreamCreateWithPriority(hipStreamNonBlocking)} or
     * {@code cuStreamCreateWithPriority(CU_STREAM_NON_BLOCKING)}.
     *
     * @param priority a value inside {@link #streamPriorityRange()}; lower is more urgent
     * @return a new stream, owned by the caller (close it)
     * @throws IllegalArgumentException if {@code priority} is outside {@link #streamPriorityRange()}
     * @throws HipException             if the driver call fails
     */
    Stream createStream(int priority);

    /**
     * A {@link Stream} over a native stream that other code created on this device (another
     * binding, a vendor library): {@code hipStream_t} on AMD, {@code CUstream} on NVIDIA. The
     * result is not owned ({@link Stream#isAdopted()}): closing it makes no native call, so the
     * stream stays alive and its maker destroys it, after closing this view. Its
     * {@link Stream#priority()} is read from the driver ({@code hipStreamGetPriority},
     * {@code cuStreamGetPriority}). The handle must be a live stream of this device; hip-ffm
     * cannot tell a dangling pointer from a stream, but on NVIDIA a stream of another context
     * than the device's primary one (which hip-ffm and the CUDA runtime use) is rejected.
     *
     * <p>The default stream cannot be adopted: it synchronizes implicitly with every blocking
     * stream of the device and has no priority of its own, so work on it can be neither ordered
     * apart from other work nor prioritised. Create a non-blocking stream and give it to the other
     * library instead (or take {@link Stream#nativeHandle()} of a stream made here).
     *
     * @param handle the native stream, as a zero-length address segment
     *               ({@code MemorySegment.ofAddress(ptr)})
     * @return a view of the stream that does not own it
     * @throws IllegalArgumentException      if {@code handle} is null, {@code NULL} or a default-stream
     *                                       pseudo-handle ({@code CU_STREAM_LEGACY},
     *                                       {@code CU_STREAM_PER_THREAD}, {@code hipStreamPerThread}),
     *                                       or belongs to another context
     * @throws HipException                  if the driver rejects the handle
     * @throws UnsupportedOperationException on a platform without native streams (the simulated one)
     */
    default Stream adoptStream(MemorySegment handle) {
        throw new UnsupportedOperationException("platform '" + platform().name() + "' has no native streams to adopt"
                + " (a simulated device runs only streams it created)");
    }

    /**
     * An event ({@code hipEventCreateWithFlags}, {@code cuEventCreate}). Recorded on a stream of
     * this device, it can be waited for by the streams of every device of the platform.
     *
     * @param flags options; empty for a timing event that spins on {@link Event#synchronize()}
     * @return a new event, owned by the caller (close it)
     * @throws HipException if the driver call fails
     */
    Event createEvent(Set<EventFlag> flags);

    /**
     * An event with timing and a spinning {@link Event#synchronize()}: {@code createEvent(Set.of())}.
     *
     * @return a new event, owned by the caller (close it)
     * @throws HipException if the driver call fails
     */
    default Event createEvent() {
        return createEvent(Set.of());
    }

    /**
     * Allocates device memory ({@code hipMalloc}, {@code cuMemAlloc}): at least 256-byte aligned,
     * not initialised (the simulated device's reads as zeros). Allocation can serialise with work
     * running on the device (CUDA lists it among the operations that synchronize implicitly):
     * allocate up front, not on a hot path.
     *
     * @param bytes the size, {@code > 0}
     * @return the buffer, owned by the caller (close it after the work using it completed)
     * @throws IllegalArgumentException if {@code bytes <= 0}
     * @throws HipException             with {@link HipError#OUT_OF_MEMORY} if the device has not
     *                                  enough free memory, or another code if the call fails
     */
    DeviceBuffer allocate(long bytes);

    /**
     * Allocates page-locked host memory that kernels can also address directly
     * ({@code hipHostMalloc(hipHostMallocMapped)}, {@code cuMemHostAlloc(PORTABLE | DEVICEMAP)},
     * then {@code hipHostGetDevicePointer} / {@code cuMemHostGetDevicePointer}). Page-locked memory
     * is a scarce OS resource and slow to allocate: allocate it once and reuse it.
     *
     * @param bytes the size, {@code > 0}
     * @return the buffer, owned by the caller (close it after the copies using it completed)
     * @throws IllegalArgumentException if {@code bytes <= 0}
     * @throws HipException             if the allocation or the mapping fails
     */
    PinnedBuffer allocatePinned(long bytes);

    /**
     * Whether {@link #registerHostMemory} is available: on NVIDIA and on the simulator; not on AMD,
     * whose streams wait only on signal memory ({@link Stream#supportsMemoryWait()}).
     *
     * @return whether host memory made elsewhere can be registered for this device
     */
    default boolean supportsHostRegistration() {
        return false;
    }

    /**
     * Page-locks host memory that other code allocated and maps it for this device
     * ({@code cuMemHostRegister(PORTABLE | DEVICEMAP)}, then {@code cuMemHostGetDevicePointer}),
     * so that a stream can wait on a word of it ({@link Stream#waitUntilAtLeast}): for example a
     * shared file mapping in which another process stores. Registration is slow and page-locked
     * memory scarce: register once, up front. The segment must stay alive until the registration is
     * closed. A device-wide call ({@link #onDeviceWideCalls}).
     *
     * @param memory native memory, at least 4 bytes, 4-byte aligned, alive
     * @return the registration, owned by the caller (close it after the work reading the memory
     *         completed, before the memory is freed or unmapped)
     * @throws IllegalArgumentException      if {@code memory} is a heap segment, smaller than 4 bytes
     *                                       or not 4-byte aligned
     * @throws IllegalStateException         if the segment's scope is no longer alive
     * @throws UnsupportedOperationException if {@link #supportsHostRegistration()} is false
     * @throws HipException                  if the driver refuses the registration (for example
     *                                       memory that is already registered)
     */
    default RegisteredHostMemory registerHostMemory(MemorySegment memory) {
        java.util.Objects.requireNonNull(memory, "memory");
        throw new UnsupportedOperationException("platform '" + platform().name()
                + "' cannot register host memory for its devices (supportsHostRegistration() is false)");
    }

    /**
     * Loads a code object compiled for this device ({@code hipModuleLoadData},
     * {@code cuModuleLoadData}; the NVIDIA driver JIT-compiles PTX at this point). A device-wide
     * call ({@link #onDeviceWideCalls}).
     *
     * @param code the output of {@link KernelCompiler#compile}, compiled for {@link #architecture()}
     * @return the module, owned by the caller (close it after its kernels' launches completed)
     * @throws HipException if the driver rejects the image (code for another architecture, a
     *                      corrupt image)
     */
    HipModule loadModule(CodeObject code);

    /**
     * The run-time compiler, targeting this device's architecture by default.
     *
     * @return hiprtc (AMD), NVRTC (NVIDIA) or the simulated compiler
     * @throws IllegalStateException if the platform's compiler library was not found
     */
    KernelCompiler compiler();

    /**
     * Waits until every stream of this device is idle ({@code hipDeviceSynchronize},
     * {@code cuCtxSynchronize}): also the streams of other code in this process. A device-wide call
     * ({@link #onDeviceWideCalls}).
     *
     * @throws HipException if the wait fails, for example (NVIDIA) with the sticky error of a
     *                      kernel that faulted earlier ({@link HipError#ILLEGAL_ADDRESS})
     */
    void synchronize();

    /**
     * Registers {@code listener} to be told before and after each call of this device that waits
     * for everything on it: {@link #synchronize()}, {@link #loadModule}, {@link HipModule#close()},
     * {@link DeviceBuffer#close()}, {@link PinnedBuffer#close()}, {@link #registerHostMemory} and
     * {@link RegisteredHostMemory#close()} of memory and modules of this device (a close only when
     * it reaches the driver). Work that never completes on its own, such as a stream waiting on
     * host memory that another process stores into ({@link Stream#waitUntilAtLeast}), would
     * otherwise hold these calls until it completed: the listener lets it go before and arms it
     * again after. See {@link DeviceWideCallListener} for the order, the exceptions and the
     * threads. Registering never blocks; the calls already under way did not run the new listener,
     * and it is told when they have ended ({@link DeviceWideCallListener#earlierCallsEnded()}).
     *
     * @param listener safe to call from many threads at once; it must not make device-wide calls
     * @return the registration; closing it removes the listener (registering one listener twice
     *         makes two registrations, each called)
     */
    DeviceWideCallListener.Registration onDeviceWideCalls(DeviceWideCallListener listener);
}
