package dev.xsched.hip.internal.amd;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.DeviceAttribute;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.HipException;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.KernelCompiler;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.Stream;
import dev.xsched.hip.internal.AbstractNativeDevice;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import static dev.xsched.hip.internal.panama.hip.HipBindings.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

final class AmdDevice extends AbstractNativeDevice {
    static final int STREAM_NON_BLOCKING = 0x1;
    static final int EVENT_BLOCKING_SYNC = 0x1;
    static final int EVENT_DISABLE_TIMING = 0x2;
    private static final Map<DeviceAttribute, Integer> ATTRIBUTES = attributeCodes();

    private final AmdPlatform platform;

    private AmdDevice(AmdPlatform platform, int index, String name, PriorityRange priorityRange) {
        super(platform, index, name, AmdArchitecture.of(index), priorityRange);
        this.platform = platform;
    }

    static AmdDevice open(AmdPlatform platform, int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(256);
            HipCalls.check(hipDeviceGetName(buffer, 256, index), "hipDeviceGetName(device=" + index + ")");
            makeCurrent(index);
            MemorySegment least = arena.allocate(JAVA_INT);
            MemorySegment greatest = arena.allocate(JAVA_INT);
            HipCalls.check(hipDeviceGetStreamPriorityRange(least, greatest), "hipDeviceGetStreamPriorityRange");
            return new AmdDevice(platform, index, buffer.getString(0),
                    new PriorityRange(least.get(JAVA_INT, 0), greatest.get(JAVA_INT, 0)));
        }
    }

    @Override
    protected void readUuid(MemorySegment out) {
        HipCalls.check(hipDeviceGetUuid(out, index()), "hipDeviceGetUuid(device=" + index() + ")");
    }

    private static Map<DeviceAttribute, Integer> attributeCodes() {
        Map<DeviceAttribute, Integer> codes = new EnumMap<>(DeviceAttribute.class);
        codes.put(DeviceAttribute.COMPUTE_UNITS, hipDeviceAttributeMultiprocessorCount());
        codes.put(DeviceAttribute.CLOCK_RATE_KHZ, hipDeviceAttributeClockRate());
        codes.put(DeviceAttribute.MEMORY_CLOCK_RATE_KHZ, hipDeviceAttributeMemoryClockRate());
        codes.put(DeviceAttribute.MEMORY_BUS_WIDTH_BITS, hipDeviceAttributeMemoryBusWidth());
        codes.put(DeviceAttribute.WARP_SIZE, hipDeviceAttributeWarpSize());
        codes.put(DeviceAttribute.MAX_THREADS_PER_BLOCK, hipDeviceAttributeMaxThreadsPerBlock());
        codes.put(DeviceAttribute.MAX_SHARED_MEMORY_PER_BLOCK, hipDeviceAttributeMaxSharedMemoryPerBlock());
        codes.put(DeviceAttribute.L2_CACHE_BYTES, hipDeviceAttributeL2CacheSize());
        codes.put(DeviceAttribute.COMPUTE_CAPABILITY_MAJOR, hipDeviceAttributeComputeCapabilityMajor());
        codes.put(DeviceAttribute.COMPUTE_CAPABILITY_MINOR, hipDeviceAttributeComputeCapabilityMinor());
        codes.put(DeviceAttribute.CONCURRENT_KERNELS, hipDeviceAttributeConcurrentKernels());
        codes.put(DeviceAttribute.MAX_BLOCK_DIM_X, hipDeviceAttributeMaxBlockDimX());
        codes.put(DeviceAttribute.MAX_GRID_DIM_X, hipDeviceAttributeMaxGridDimX());
        codes.put(DeviceAttribute.PCI_BUS_ID, hipDeviceAttributePciBusId());
        return codes;
    }

    /** HIP's allocations and stream creation act on the calling thread's current device. */
    @Override
    protected void makeCurrent() {
        makeCurrent(index());
    }

    private static void makeCurrent(int index) {
        HipCalls.check(hipSetDevice(index), "hipSetDevice(" + index + ")");
    }

    /** HIP streams and events carry their device: a command needs nothing current. */
    @Override
    protected void bindCallingThread() {
    }

    @Override
    protected String platformLabel() {
        return "AMD";
    }

    @Override
    protected int readAttribute(DeviceAttribute attribute) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            HipCalls.check(hipDeviceGetAttribute(out, ATTRIBUTES.get(attribute), index()),
                    "hipDeviceGetAttribute(" + attribute + ", device=" + index() + ")");
            return out.get(JAVA_INT, 0);
        }
    }

    @Override
    public long totalMemory() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            HipCalls.check(hipDeviceTotalMem(out, index()), "hipDeviceTotalMem(device=" + index() + ")");
            return out.get(JAVA_LONG, 0);
        }
    }

    @Override
    protected Stream openStream(int priority) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            HipCalls.check(hipStreamCreateWithPriority(out, STREAM_NON_BLOCKING, priority),
                    "hipStreamCreateWithPriority(priority=" + priority + ")");
            return new AmdStream(this, out.get(ADDRESS, 0), priority, true);
        }
    }

    @Override
    protected Stream adopt(MemorySegment handle) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            HipCalls.check(hipStreamGetPriority(handle, out), "hipStreamGetPriority(adopted stream 0x"
                    + Long.toHexString(handle.address()) + ")");
            return new AmdStream(this, handle, out.get(JAVA_INT, 0), false);
        }
    }

    @Override
    protected Event openEvent(Set<EventFlag> flags) {
        int bits = (flags.contains(EventFlag.BLOCKING_SYNC) ? EVENT_BLOCKING_SYNC : 0)
                | (flags.contains(EventFlag.DISABLE_TIMING) ? EVENT_DISABLE_TIMING : 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            HipCalls.check(hipEventCreateWithFlags(out, bits), "hipEventCreateWithFlags(" + flags + ")");
            return new AmdEvent(this, out.get(ADDRESS, 0), flags);
        }
    }

    @Override
    protected DeviceBuffer allocateDevice(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            HipCalls.check(hipMalloc(out, bytes), "hipMalloc(bytes=" + bytes + ")");
            return new AmdBuffer(this, out.get(ADDRESS, 0).address(), bytes);
        }
    }

    @Override
    protected PinnedBuffer allocateHost(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            // Mapped, so that kernels can reach it directly (the records of cooperative yield).
            HipCalls.check(hipHostMalloc(out, bytes, hipHostMallocMapped()), "hipHostMalloc(bytes=" + bytes + ", Mapped)");
            MemorySegment host = out.get(ADDRESS, 0);
            MemorySegment device = arena.allocate(ADDRESS);
            int status = hipHostGetDevicePointer(device, host, 0);
            if (status != HipCalls.SUCCESS) {
                HipException failure = HipCalls.failure(status, "hipHostGetDevicePointer(bytes=" + bytes + ")");
                // A free waits for the whole device, as every other free does: between the listeners.
                // The failure that matters is the pointer's; a failed free rides along.
                try {
                    int freed = deviceWideCalls().call(() -> hipHostFree(host));
                    if (freed != HipCalls.SUCCESS) {
                        failure.addSuppressed(HipCalls.failure(freed, "hipHostFree"));
                    }
                } catch (RuntimeException listenerFailure) {
                    failure.addSuppressed(listenerFailure);
                }
                throw failure;
            }
            return new AmdPinnedBuffer(this, host, bytes, device.get(ADDRESS, 0).address());
        }
    }

    @Override
    protected HipModule load(CodeObject code) {
        return AmdModule.load(this, code);
    }

    @Override
    public KernelCompiler compiler() {
        return platform.compilerFor(architecture());
    }

    @Override
    protected void synchronizeCurrent() {
        HipCalls.check(hipDeviceSynchronize(), "hipDeviceSynchronize(device=" + index() + ")");
    }

    @Override
    public String toString() {
        return "AMD device " + index() + " (" + name() + ", " + architecture() + ")";
    }
}
