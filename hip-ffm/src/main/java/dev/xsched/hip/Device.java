package dev.xsched.hip;

import java.util.Set;

/**
 * One GPU of a {@link HipPlatform}: its attributes, and the factory of streams, events, memory and
 * modules on it.
 */
public interface Device {
    /** The device's ordinal on its platform. */
    int index();

    HipPlatform platform();

    /**
     * The device's UUID, the same in every process whatever the ordinals are
     * ({@code CUDA_VISIBLE_DEVICES}/{@code HIP_VISIBLE_DEVICES} may differ): from
     * {@code cuDeviceGetUuid} or {@code hipDeviceGetUuid}; a simulated device has a fixed one per index.
     */
    java.util.UUID uuid();

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
