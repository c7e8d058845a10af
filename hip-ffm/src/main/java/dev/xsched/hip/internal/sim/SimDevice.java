package dev.xsched.hip.internal.sim;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceAttribute;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceWideCallListener;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.KernelCompiler;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;
import dev.xsched.hip.internal.CopyChecks;
import dev.xsched.hip.internal.DeviceWideCalls;
import dev.xsched.hip.internal.HostMemoryChecks;
import dev.xsched.hip.sim.KernelCostModel;
import dev.xsched.hip.sim.SimKernelBody;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.Set;

/**
 * A simulated GPU. Its attributes are those of an NVIDIA H200 except the compute units, which are
 * configured; only the compute units (and blocks per unit) influence the simulation.
 *
 * <p>The device-wide calls ({@link #onDeviceWideCalls}) run between their listeners as on a GPU,
 * and each of them but {@link #synchronize()} (which waits for everything anyway) first waits until
 * no stream of this device is held by a wait on registered host memory
 * ({@link Stream#waitUntilAtLeast}): in real time until a store releases it, in virtual time
 * failing as a synchronization does when nothing could ({@link SimEngine#awaitNoHostWait}). CUDA
 * waits for all the device's work in these calls; the simulator models only these waits, work that
 * can never finish on its own and so hangs such a call on a GPU, which is the hang the listeners
 * exist to avoid. The device's other work is not waited for, so the simulated timing of code that
 * frees or loads while kernels run does not change.
 */
public final class SimDevice implements Device {
    static final int MAX_THREADS_PER_BLOCK = 1024;
    static final int MAX_BLOCK_DIM_Z = 64;
    static final int MAX_GRID_DIM_YZ = 65535;
    static final int MAX_SHARED_MEMORY_PER_BLOCK = 48 * 1024;

    private final HipPlatform platform;
    private final int index;
    private final SimConfig config;
    private final SimEngine engine;
    private final AddressSpace memory;
    private final DeviceState state;
    private final KernelCompiler compiler;
    private final DeviceWideCalls deviceWideCalls = new DeviceWideCalls();

    public SimDevice(HipPlatform platform, int index, SimEngine engine, AddressSpace memory, KernelCompiler compiler) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.index = index;
        this.engine = engine;
        this.config = engine.config();
        this.memory = memory;
        this.state = engine.device(index);
        this.compiler = compiler;
    }

    /** The simulated compiler every device of every simulated platform shares. */
    public static KernelCompiler newCompiler() {
        return new SimCompiler();
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public HipPlatform platform() {
        return platform;
    }

    @Override
    public java.util.UUID uuid() {
        // Fixed per index, so that processes simulating "device 0" name the same device to a
        // scheduler server (each still simulates its own GPU).
        return java.util.UUID.nameUUIDFromBytes(("xsched simulated device " + index)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public String name() {
        return "Simulated GPU (" + config.computeUnits() + " CUs)";
    }

    @Override
    public String architecture() {
        return SimCodeObject.TARGET;
    }

    @Override
    public int attribute(DeviceAttribute attribute) {
        return switch (Objects.requireNonNull(attribute, "attribute")) {
            case COMPUTE_UNITS -> config.computeUnits();
            case CLOCK_RATE_KHZ -> 1_980_000;
            case MEMORY_CLOCK_RATE_KHZ -> 2_619_000;
            case MEMORY_BUS_WIDTH_BITS -> 6144;
            case WARP_SIZE -> 32;
            case MAX_THREADS_PER_BLOCK, MAX_BLOCK_DIM_X -> MAX_THREADS_PER_BLOCK;
            case MAX_SHARED_MEMORY_PER_BLOCK -> MAX_SHARED_MEMORY_PER_BLOCK;
            case L2_CACHE_BYTES -> 50 * 1024 * 1024;
            case COMPUTE_CAPABILITY_MAJOR -> 9;
            case COMPUTE_CAPABILITY_MINOR -> 0;
            case CONCURRENT_KERNELS -> 1;
            case MAX_GRID_DIM_X -> Integer.MAX_VALUE;
            case PCI_BUS_ID -> index + 1;
        };
    }

    @Override
    public long totalMemory() {
        return config.memoryBytes();
    }

    @Override
    public PriorityRange streamPriorityRange() {
        return config.priorityRange();
    }

    @Override
    public Stream createStream(int priority) {
        if (!config.priorityRange().contains(priority)) {
            throw new IllegalArgumentException("stream priority " + priority + " is outside the device's range "
                    + config.priorityRange() + " (lower number = higher priority)");
        }
        return new SimStream(this, engine, engine.createStream(state, priority));
    }

    @Override
    public Event createEvent(Set<EventFlag> flags) {
        Objects.requireNonNull(flags, "flags");
        engine.checkOpen();
        return new SimEvent(this, engine, flags);
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        CopyChecks.checkAllocationSize(bytes);
        engine.checkOpen();
        return memory.allocate(this, bytes);
    }

    @Override
    public PinnedBuffer allocatePinned(long bytes) {
        CopyChecks.checkAllocationSize(bytes);
        engine.checkOpen();
        return memory.allocatePinned(this, bytes);
    }

    @Override
    public boolean supportsHostRegistration() {
        return true;
    }

    /**
     * Maps the caller's segment into the simulated address space: the engine then reads the
     * caller's own bytes, so a store to them by any thread (or by another process, for a shared file
     * mapping) is what a stream's wait sees. In real time the engine thread reads them, so the
     * segment must not be confined to another thread (as for a copy's host memory).
     */
    @Override
    public RegisteredHostMemory registerHostMemory(MemorySegment memory) {
        HostMemoryChecks.registration(memory);
        engine.checkOpen();
        if (!engine.canReachFromSimulation(memory)) {
            throw new IllegalArgumentException("host memory to register is confined to another thread; the simulated "
                    + "device reads it on its own thread: use a shared or global arena, or a file mapping");
        }
        return deviceWideCalls.call(() -> {
            engine.awaitNoHostWait(state, "hipHostRegister");
            return this.memory.register(this, memory);
        });
    }

    @Override
    public HipModule loadModule(CodeObject code) {
        Objects.requireNonNull(code, "code");
        engine.checkOpen();
        return deviceWideCalls.call(() -> {
            engine.awaitNoHostWait(state, "hipModuleLoadData");
            return SimModule.load(this, code);
        });
    }

    @Override
    public KernelCompiler compiler() {
        return compiler;
    }

    @Override
    public void synchronize() {
        deviceWideCalls.run(() -> engine.synchronize(state));
    }

    @Override
    public DeviceWideCallListener.Registration onDeviceWideCalls(DeviceWideCallListener listener) {
        return deviceWideCalls.add(listener);
    }

    /** The listeners that this device's modules, buffers and registrations run their close between. */
    DeviceWideCalls deviceWideCalls() {
        return deviceWideCalls;
    }

    /**
     * For the close of a buffer, module or registration of this device, a device-wide call: waits
     * as such a call does (see the class comment), then runs {@code release}. The release also
     * follows a wait that failed (in virtual time, one that could never end): the handle counts as
     * closed either way, and the simulation keeps no memory that nothing can free any more.
     */
    void afterHostWaits(String call, Runnable release) {
        try {
            engine.awaitNoHostWait(state, call);
        } finally {
            release.run();
        }
    }

    /** Rejects launches a real device rejects, with HIP's error. */
    void checkLaunchConfig(String kernel, LaunchConfig config) {
        var block = config.block();
        var grid = config.grid();
        String problem = null;
        if (block.volume() > MAX_THREADS_PER_BLOCK || block.x() > MAX_THREADS_PER_BLOCK || block.y() > MAX_THREADS_PER_BLOCK) {
            problem = "more than " + MAX_THREADS_PER_BLOCK + " threads per block";
        } else if (block.z() > MAX_BLOCK_DIM_Z) {
            problem = "block z above " + MAX_BLOCK_DIM_Z;
        } else if (grid.y() > MAX_GRID_DIM_YZ || grid.z() > MAX_GRID_DIM_YZ) {
            problem = "grid y or z above " + MAX_GRID_DIM_YZ;
        } else if (config.sharedMemoryBytes() > MAX_SHARED_MEMORY_PER_BLOCK) {
            problem = "more than " + MAX_SHARED_MEMORY_PER_BLOCK + " bytes of shared memory per block";
        }
        if (problem != null) {
            throw HipException.of(HipError.INVALID_CONFIGURATION, "hipModuleLaunchKernel(" + kernel + ", grid=" + grid
                    + ", block=" + block + ", sharedMemoryBytes=" + config.sharedMemoryBytes() + "): " + problem);
        }
    }

    KernelCostModel platformCostModel() {
        return config.costModel();
    }

    /** The Java body registered for {@code kernel}, or null. */
    SimKernelBody bodyOf(String kernel) {
        return config.bodies().get(kernel);
    }

    @Override
    public String toString() {
        return "simulated device " + index + " (" + name() + ")";
    }
}
