package dev.xsched.hip.internal.nvidia;

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
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;
import dev.xsched.hip.internal.AbstractNativeDevice;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

final class NvidiaDevice extends AbstractNativeDevice {
    private static final Map<DeviceAttribute, Integer> ATTRIBUTES = attributeCodes();

    private final NvidiaPlatform platform;
    private final int cuDevice;
    private final PrimaryContext context;

    private NvidiaDevice(NvidiaPlatform platform, int index, int cuDevice, String name, String architecture,
                         PriorityRange priorityRange, PrimaryContext context) {
        super(platform, index, name, architecture, priorityRange);
        this.platform = platform;
        this.cuDevice = cuDevice;
        this.context = context;
    }

    static NvidiaDevice open(NvidiaPlatform platform, int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = arena.allocate(JAVA_INT);
            CudaCalls.check(cuDeviceGet(handle, index), "cuDeviceGet(" + index + ")");
            int cuDevice = handle.get(JAVA_INT, 0);
            MemorySegment name = arena.allocate(256);
            CudaCalls.check(cuDeviceGetName(name, 256, cuDevice), "cuDeviceGetName(device=" + index + ")");
            String architecture = architectureName(attribute(cuDevice, index, DeviceAttribute.COMPUTE_CAPABILITY_MAJOR),
                    attribute(cuDevice, index, DeviceAttribute.COMPUTE_CAPABILITY_MINOR));
            PrimaryContext context = PrimaryContext.retain(cuDevice, index);
            return new NvidiaDevice(platform, index, cuDevice, name.getString(0), architecture,
                    readPriorityRange(context, index), context);
        }
    }

    private static Map<DeviceAttribute, Integer> attributeCodes() {
        Map<DeviceAttribute, Integer> codes = new EnumMap<>(DeviceAttribute.class);
        codes.put(DeviceAttribute.COMPUTE_UNITS, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT());
        codes.put(DeviceAttribute.CLOCK_RATE_KHZ, CU_DEVICE_ATTRIBUTE_CLOCK_RATE());
        codes.put(DeviceAttribute.MEMORY_CLOCK_RATE_KHZ, CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE());
        codes.put(DeviceAttribute.MEMORY_BUS_WIDTH_BITS, CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH());
        codes.put(DeviceAttribute.WARP_SIZE, CU_DEVICE_ATTRIBUTE_WARP_SIZE());
        codes.put(DeviceAttribute.MAX_THREADS_PER_BLOCK, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK());
        codes.put(DeviceAttribute.MAX_SHARED_MEMORY_PER_BLOCK, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK());
        codes.put(DeviceAttribute.L2_CACHE_BYTES, CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE());
        codes.put(DeviceAttribute.COMPUTE_CAPABILITY_MAJOR, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR());
        codes.put(DeviceAttribute.COMPUTE_CAPABILITY_MINOR, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR());
        codes.put(DeviceAttribute.CONCURRENT_KERNELS, CU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS());
        codes.put(DeviceAttribute.MAX_BLOCK_DIM_X, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X());
        codes.put(DeviceAttribute.MAX_GRID_DIM_X, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X());
        codes.put(DeviceAttribute.PCI_BUS_ID, CU_DEVICE_ATTRIBUTE_PCI_BUS_ID());
        return codes;
    }

    @Override
    protected void readUuid(MemorySegment out) {
        CudaCalls.check(cuDeviceGetUuid_v2(out, cuDevice), "cuDeviceGetUuid(device=" + index() + ")");
    }

    /** NVRTC's name of a compute capability: 9.0 is {@code sm_90}, 8.6 is {@code sm_86}. */
    static String architectureName(int major, int minor) {
        return "sm_" + major + minor;
    }

    private static PriorityRange readPriorityRange(PrimaryContext context, int index) {
        context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment least = arena.allocate(JAVA_INT);
            MemorySegment greatest = arena.allocate(JAVA_INT);
            CudaCalls.check(cuCtxGetStreamPriorityRange(least, greatest), "cuCtxGetStreamPriorityRange(device=" + index + ")");
            return new PriorityRange(least.get(JAVA_INT, 0), greatest.get(JAVA_INT, 0));
        }
    }

    private static int attribute(int cuDevice, int index, DeviceAttribute attribute) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            CudaCalls.check(cuDeviceGetAttribute(out, ATTRIBUTES.get(attribute), cuDevice),
                    "cuDeviceGetAttribute(" + attribute + ", device=" + index + ")");
            return out.get(JAVA_INT, 0);
        }
    }

    /** Makes this device's primary context current on the calling thread (cheap when it already is). */
    @Override
    protected void makeCurrent() {
        context.makeCurrent();
    }

    /** Every driver call acts on the calling thread's current context. */
    @Override
    protected void bindCallingThread() {
        context.makeCurrent();
    }

    @Override
    protected String platformLabel() {
        return "NVIDIA";
    }

    @Override
    protected int readAttribute(DeviceAttribute attribute) {
        return attribute(cuDevice, index(), attribute);
    }

    @Override
    public long totalMemory() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            CudaCalls.check(cuDeviceTotalMem_v2(out, cuDevice), "cuDeviceTotalMem(device=" + index() + ")");
            return out.get(JAVA_LONG, 0);
        }
    }

    @Override
    protected Stream openStream(int priority) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            CudaCalls.check(cuStreamCreateWithPriority(out, CU_STREAM_NON_BLOCKING(), priority),
                    "cuStreamCreateWithPriority(NON_BLOCKING, priority=" + priority + ")");
            return new NvidiaStream(this, out.get(ADDRESS, 0), priority, true);
        }
    }

    /**
     * Rejects a stream of another context: hip-ffm loads modules and allocates in the device's
     * primary context (the CUDA runtime's too), and a kernel of one context cannot run on a stream
     * of another.
     */
    @Override
    protected Stream adopt(MemorySegment handle) {
        String hex = "0x" + Long.toHexString(handle.address());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment streamContext = arena.allocate(ADDRESS);
            CudaCalls.check(cuStreamGetCtx(handle, streamContext), "cuStreamGetCtx(adopted stream " + hex + ")");
            if (!context.is(streamContext.get(ADDRESS, 0))) {
                throw new IllegalArgumentException("stream " + hex + " belongs to CUDA context 0x"
                        + Long.toHexString(streamContext.get(ADDRESS, 0).address()) + ", not to the primary context of device "
                        + index() + " that hip-ffm (and the CUDA runtime) use: its kernels and memory could not be used on it");
            }
            MemorySegment priority = arena.allocate(JAVA_INT);
            CudaCalls.check(cuStreamGetPriority(handle, priority), "cuStreamGetPriority(adopted stream " + hex + ")");
            return new NvidiaStream(this, handle, priority.get(JAVA_INT, 0), false);
        }
    }

    @Override
    protected Event openEvent(Set<EventFlag> flags) {
        int bits = (flags.contains(EventFlag.BLOCKING_SYNC) ? CU_EVENT_BLOCKING_SYNC() : 0)
                | (flags.contains(EventFlag.DISABLE_TIMING) ? CU_EVENT_DISABLE_TIMING() : 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            CudaCalls.check(cuEventCreate(out, bits), "cuEventCreate(" + flags + ")");
            return new NvidiaEvent(this, out.get(ADDRESS, 0), flags);
        }
    }

    @Override
    protected DeviceBuffer allocateDevice(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            CudaCalls.check(cuMemAlloc_v2(out, bytes), "cuMemAlloc(bytes=" + bytes + ")");
            return new NvidiaBuffer(this, out.get(JAVA_LONG, 0), bytes);
        }
    }

    @Override
    protected PinnedBuffer allocateHost(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            // Portable: pinned for every context, so streams of any device copy from it at full speed.
            // Device-mapped: kernels reach it directly (the records of cooperative yield).
            CudaCalls.check(cuMemHostAlloc(out, bytes, CU_MEMHOSTALLOC_PORTABLE() | CU_MEMHOSTALLOC_DEVICEMAP()),
                    "cuMemHostAlloc(bytes=" + bytes + ", PORTABLE|DEVICEMAP)");
            MemorySegment host = out.get(ADDRESS, 0);
            MemorySegment device = arena.allocate(JAVA_LONG);
            int status = cuMemHostGetDevicePointer_v2(device, host, 0);
            if (status != CudaCalls.SUCCESS) {
                HipException failure = CudaCalls.failure(status, "cuMemHostGetDevicePointer(bytes=" + bytes + ")");
                // A free waits for the whole device, as every other free does: between the listeners.
                // The failure that matters is the pointer's; a failed free rides along.
                try {
                    int freed = deviceWideCalls().call(() -> cuMemFreeHost(host));
                    if (freed != CudaCalls.SUCCESS) {
                        failure.addSuppressed(CudaCalls.failure(freed, "cuMemFreeHost"));
                    }
                } catch (RuntimeException listenerFailure) {
                    failure.addSuppressed(listenerFailure);
                }
                throw failure;
            }
            return new NvidiaPinnedBuffer(this, host, bytes, device.get(JAVA_LONG, 0));
        }
    }

    @Override
    protected boolean hostRegistrationSupported() {
        return true;
    }

    @Override
    protected RegisteredHostMemory register(MemorySegment memory) {
        long bytes = memory.byteSize();
        // Portable: registered for every context, as pinned buffers are. Device-mapped: the device
        // reaches the memory at an address of its own, which a stream's wait on a word of it needs.
        CudaCalls.check(cuMemHostRegister_v2(memory, bytes, CU_MEMHOSTREGISTER_PORTABLE() | CU_MEMHOSTREGISTER_DEVICEMAP()),
                "cuMemHostRegister(bytes=" + bytes + ", PORTABLE|DEVICEMAP)");
        MemorySegment host = MemorySegment.ofAddress(memory.address());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment device = arena.allocate(JAVA_LONG);
            int status = cuMemHostGetDevicePointer_v2(device, host, 0);
            if (status != CudaCalls.SUCCESS) {
                HipException failure = CudaCalls.failure(status, "cuMemHostGetDevicePointer(registered, bytes=" + bytes + ")");
                // Unregistered before throwing: nobody could close a registration never handed out,
                // and its pages would stay pinned (and refused to a second registration) for good.
                int unregistered = cuMemHostUnregister(host);
                if (unregistered != CudaCalls.SUCCESS) {
                    failure.addSuppressed(CudaCalls.failure(unregistered, "cuMemHostUnregister(bytes=" + bytes + ")"));
                }
                throw failure;
            }
            return new NvidiaRegisteredMemory(this, memory, device.get(JAVA_LONG, 0));
        }
    }

    @Override
    protected HipModule load(CodeObject code) {
        return NvidiaModule.load(this, code);
    }

    @Override
    public KernelCompiler compiler() {
        return platform.compilerFor(architecture());
    }

    @Override
    protected void synchronizeCurrent() {
        CudaCalls.check(cuCtxSynchronize(), "cuCtxSynchronize(device=" + index() + ")");
    }

    @Override
    public String toString() {
        return "NVIDIA device " + index() + " (" + name() + ", " + architecture() + ")";
    }
}
