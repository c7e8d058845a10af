package dev.xsched.hip;

import java.lang.foreign.MemorySegment;
import java.util.Set;

/**
 * One GPU of a {@link HipPlatform}: its attributes, and the factory of streams, events, memory and
 * modules on it.
 */
public interface Device {
    /** The device's ordinal on its platform. */
    int index();

    HipPlatform platform();

    /** The marketing name, for example {@code NVIDIA H200} or {@code AMD Instinct MI250X}. */
    String name();

    /** The architecture compiled for, for example {@code gfx90a} or {@code sm_90}. */
    String architecture();

    int attribute(DeviceAttribute attribute);

    default int computeUnits() {
        return attribute(DeviceAttribute.COMPUTE_UNITS);
    }

    default int clockRateKHz() {
        return attribute(DeviceAttribute.CLOCK_RATE_KHZ);
    }

    default int warpSize() {
        return attribute(DeviceAttribute.WARP_SIZE);
    }

    /** Global memory in bytes. */
    long totalMemory();

    /** The stream priorities this device accepts. */
    PriorityRange streamPriorityRange();

    /** A stream at the default (lowest) priority. */
    default Stream createStream() {
        return createStream(streamPriorityRange().least());
    }

    /**
     * A non-blocking stream (no implicit synchronization with the null stream) at {@code priority}.
     *
     * @throws IllegalArgumentException if {@code priority} is outside {@link #streamPriorityRange()}
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

    Event createEvent(Set<EventFlag> flags);

    default Event createEvent() {
        return createEvent(Set.of());
    }

    /** Allocates {@code bytes} (> 0) of device memory. */
    DeviceBuffer allocate(long bytes);

    /** Allocates {@code bytes} (> 0) of pinned host memory. */
    PinnedBuffer allocatePinned(long bytes);

    /** Loads a code object compiled for this device. */
    HipModule loadModule(CodeObject code);

    /** The run-time compiler, targeting this device's architecture by default. */
    KernelCompiler compiler();

    /** Waits until every stream of this device is idle ({@code hipDeviceSynchronize}). */
    void synchronize();
}
