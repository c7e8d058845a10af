package dev.xsched.hip.sim;

import dev.xsched.hip.Device;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelCompiler;
import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.Stream;
import dev.xsched.hip.internal.sim.AddressSpace;
import dev.xsched.hip.internal.sim.EngineClock;
import dev.xsched.hip.internal.sim.SimConfig;
import dev.xsched.hip.internal.sim.SimDevice;
import dev.xsched.hip.internal.sim.SimEngine;
import dev.xsched.hip.internal.sim.SimKernel;
import dev.xsched.hip.internal.sim.SimStream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * A GPU platform simulated in Java ({@code HIP_PLATFORM=sim}): the whole hip-ffm API with no GPU and
 * no native code, for tests and for developing schedulers on any machine.
 *
 * <h2>What is modelled</h2>
 * <ul>
 *   <li>Each stream executes its commands in order. A kernel launch of grid volume G becomes G
 *       thread blocks, each occupying one of the device's block slots (compute units times blocks
 *       per unit) for the duration its {@link KernelCostModel} gives. Kernels of different streams
 *       share the slots and run concurrently when slots are free.</li>
 *   <li>When a slot frees, the next block comes from the eligible kernel (at the head of its
 *       stream) of the highest-priority stream, ties in submission order, when
 *       {@link Builder#hardwarePriority hardware priority} is on, as measured on an H200: priority
 *       takes effect at thread-block boundaries. When off, strictly in submission order across
 *       streams.</li>
 *   <li>Copies and memsets occupy their stream (no slots) for latency plus bytes over bandwidth, and
 *       really move the bytes between Java-reachable memory, at completion.</li>
 *   <li>Events complete when the commands before them have; waits hold a stream until the event's
 *       last record completed (an event never recorded counts as complete, as in HIP).</li>
 *   <li>Device memory is accounted against the configured size, with fake, unique, 256-aligned
 *       addresses, and backed lazily by native memory ({@link #memory()}).</li>
 *   <li>The compiler finds {@code extern "C" __global__} kernels by name; kernels may have Java
 *       bodies ({@link Builder#kernelBody}) that act on device memory.</li>
 *   <li>Cooperative yield ({@link dev.xsched.hip.YieldableKernels}): a managed launch of a kernel
 *       declared with {@code XSCHED_YIELD_PARAMS} reads its stop flag, per-block state and record
 *       in simulated memory (pinned buffers are mapped, as on a GPU). When a copy or memset raises
 *       the flag, each running block stops at its next check ({@link Builder#yieldCheckInterval}),
 *       frees its slot, saves its progress in whole check intervals (or nothing, with
 *       {@link Builder#stoppedBlocksRestart}) and sets the record; blocks
 *       that start while the flag is up, and blocks already finished in an earlier launch, return
 *       at once. A relaunch runs only the remaining time of each block. A launch with a block that
 *       stopped early does not run the kernel's Java body: the launch that finishes the last block
 *       does.</li>
 * </ul>
 * Not modelled: registers, shared memory or occupancy limits on blocks per unit, memory
 * bandwidth contention between kernels, copy engines shared between streams, the null stream.
 *
 * <h2>Time</h2>
 * In {@link Builder#virtualTime() virtual time} (the builder's default) nothing moves by itself:
 * submissions start what can start at the current time, and time advances through
 * {@link #virtualClock()} or a blocking call, which advances exactly as far as it must. A blocking
 * call that could only return if something outside the simulation happened throws
 * {@link IllegalStateException} ("would wait forever") instead of hanging. Runs are
 * deterministic. In {@link Builder#realTime() real time} the clock is the wall clock and a daemon
 * thread ({@code xsched-sim-engine}) completes work when it falls due; blocking calls wait.
 *
 * <p>A stream's wait on registered host memory ({@link dev.xsched.hip.Stream#waitUntilAtLeast})
 * ends on a plain store to that memory, by any thread or process, which the simulation does not
 * see as an event. In real time the engine thread polls the word while such a wait holds a stream
 * (every few tens of microseconds; not at all otherwise). In virtual time the word is looked at
 * whenever the clock moves and before a blocking call gives up, so a store made while the clock
 * stood still releases the wait at that time; a blocking call on a wait whose word has not been
 * stored throws, as any call that only something outside the simulation could end.
 *
 * <pre>{@code
 * SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(4)
 *         .costModel(KernelCostModel.fixed(Duration.ofMillis(1))).build();
 * Device gpu = sim.device(0);
 * KernelRecorder recorder = new KernelRecorder();
 * sim.addListener(recorder);
 * ... launch on gpu's streams ...
 * sim.virtualClock().runUntilIdle();
 * recorder.kernels().forEach(r -> System.out.println(r.kernelName() + " waited " + r.waitNanos() + " ns"));
 * }</pre>
 *
 * <p>Thread-safe: one lock guards the simulation of all devices of a platform.
 */
public final class SimulatedPlatform implements HipPlatform, AutoCloseable {
    /** {@value}: compute units of the default platform's device (default 132). */
    public static final String COMPUTE_UNITS_PROPERTY = "xsched.sim.computeUnits";
    /** {@value}: {@code true} or {@code false}, whether stream priorities act at block boundaries (default true). */
    public static final String HARDWARE_PRIORITY_PROPERTY = "xsched.sim.hardwarePriority";
    /** {@value}: the path of a kernel trace CSV ({@link TraceCostModel}) giving block durations. */
    public static final String TRACE_PROPERTY = "xsched.sim.trace";
    /** {@value}: microseconds per block of kernels without a trace entry, decimals allowed (default 100). */
    public static final String BLOCK_MICROS_PROPERTY = "xsched.sim.blockMicros";
    /** {@value}: microseconds between the stop-flag checks of a yieldable kernel's blocks, decimals allowed (default 20). */
    public static final String YIELD_CHECK_MICROS_PROPERTY = "xsched.sim.yieldCheckMicros";
    static final long DEFAULT_YIELD_CHECK_NANOS = 20_000;
    /**
     * {@value}: the {@linkplain Device#architecture() architecture} of every simulated device and
     * the target of the simulated compiler. Its code objects hold every {@code extern "C"
     * __global__} kernel of a source, whatever preprocessor guards surround it: the simulator
     * evaluates no preprocessor and runs no device code, so a kernel written for one architecture
     * only (say NVIDIA sm_80+) is as available as any other.
     */
    public static final String ARCHITECTURE = "sim";

    /** {@value}: how the call of a {@linkplain #faulting(Kernel) injected} launch failure ends, in brackets. */
    public static final String INJECTED_FAULT = "fault injected by SimulatedPlatform.faulting";

    private static final String RUNTIME_VERSION = "simulated HIP runtime (hip-ffm)";

    private final SimConfig config;
    private final SimEngine engine;
    private final AddressSpace memory;
    private final EngineClock clock;
    private final KernelCompiler compiler;
    private final List<SimDevice> devices;

    private SimulatedPlatform(SimConfig config) {
        this.config = config;
        this.memory = new AddressSpace(config.devices(), config.memoryBytes());
        this.engine = new SimEngine(config, memory);
        this.clock = new EngineClock(engine);
        this.compiler = SimDevice.newCompiler();
        this.devices = IntStream.range(0, config.devices())
                .mapToObj(i -> new SimDevice(this, i, engine, memory, compiler)).toList();
    }

    /**
     * A builder with the defaults {@link Builder} lists (one H200-like device, virtual time).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public boolean isSimulated() {
        return true;
    }

    @Override
    public String runtimeVersion() {
        return RUNTIME_VERSION;
    }

    @Override
    public String driverVersion() {
        return "simulated driver (hip-ffm, " + (config.virtualTime() ? "virtual time" : "real time") + ")";
    }

    @Override
    public int deviceCount() {
        return devices.size();
    }

    @Override
    public Device device(int index) {
        Objects.checkIndex(index, devices.size());
        return devices.get(index);
    }

    @Override
    public Optional<String> noDeviceReason() {
        return devices.isEmpty() ? Optional.of("the simulated platform was built with 0 devices") : Optional.empty();
    }

    @Override
    public KernelCompiler compiler() {
        return compiler;
    }

    /**
     * The clock all simulated timestamps are on, in either mode: hand it to a scheduler as its
     * time source so that its measurements match {@link KernelRecord}'s.
     *
     * @return the platform's clock; in virtual time also a {@link VirtualClock}
     */
    public SimClock clock() {
        return clock;
    }

    /**
     * The manual clock.
     *
     * @return the clock that moves only when told to
     * @throws IllegalStateException if the platform runs in real time
     */
    public VirtualClock virtualClock() {
        if (!config.virtualTime()) {
            throw new IllegalStateException("this simulated platform runs in real time; build it with virtualTime()");
        }
        return clock;
    }

    /**
     * Whether the platform runs in virtual time ({@link Builder#virtualTime()}).
     *
     * @return true for virtual time, false for real (wall-clock) time
     */
    public boolean isVirtualTime() {
        return config.virtualTime();
    }

    /**
     * Direct access to device memory (what kernel bodies get), for tests that inspect or prepare
     * memory without a copy; a read does not wait for work that writes the memory.
     *
     * @return the platform's memory, shared by all its devices
     */
    public SimMemory memory() {
        return memory;
    }

    /**
     * Whether stream priorities take effect at thread-block boundaries ({@link Builder#hardwarePriority}).
     *
     * @return true when freed block slots go to the highest-priority stream first
     */
    public boolean hardwarePriority() {
        return config.hardwarePriority();
    }

    /**
     * Block slots per device: how many thread blocks run at once.
     *
     * @return compute units times blocks per compute unit
     */
    public int slotsPerDevice() {
        return config.slots();
    }

    /**
     * The cost model launches use, unless a kernel handle carries its own duration
     * ({@link #withBlockDuration}).
     *
     * @return the model given to the builder, a trace's, or the fixed default
     */
    public KernelCostModel costModel() {
        return config.costModel();
    }

    /**
     * Registers an observer; it sees what happens from now on. May be called from any thread while
     * the simulation runs.
     *
     * @param listener the observer, called as {@link SimListener} describes
     * @throws NullPointerException if {@code listener} is null
     */
    public void addListener(SimListener listener) {
        engine.addListener(listener);
    }

    /**
     * Unregisters an observer (one registration of it); unknown listeners are ignored.
     *
     * @param listener the observer to remove
     */
    public void removeListener(SimListener listener) {
        engine.removeListener(listener);
    }

    /**
     * The id of a stream of a simulated platform, as {@link KernelRecord#streamId()} reports it.
     *
     * @param stream a stream of a simulated platform
     * @return its id, unique within its platform
     * @throws IllegalArgumentException for a stream of another platform
     */
    public static long streamId(Stream stream) {
        if (!(stream instanceof SimStream sim)) {
            throw new IllegalArgumentException("stream " + stream + " is not a simulated stream");
        }
        return sim.id();
    }

    /**
     * The same kernel, with every block of launches through the returned handle lasting
     * {@code perBlock}, whatever the cost model says: for example a kernel with 20 ms blocks to
     * test preemption. The handle works everywhere a kernel does (also through a scheduler).
     *
     * @param kernel   a kernel of a simulated platform
     * @param perBlock the duration of every block, {@code >= 0}
     * @return a new handle of the same kernel; {@code kernel} keeps its own durations
     * @throws IllegalArgumentException if {@code kernel} is not a simulated kernel or the duration is negative
     */
    public static Kernel withBlockDuration(Kernel kernel, Duration perBlock) {
        Objects.requireNonNull(perBlock, "perBlock");
        if (!(kernel instanceof SimKernel sim)) {
            throw new IllegalArgumentException("kernel " + kernel + " is not a kernel of a simulated platform");
        }
        return sim.withBlockNanos(perBlock.toNanos());
    }

    /**
     * The same kernel, every launch of which through the returned handle fails at the launch call
     * with {@link dev.xsched.hip.HipException} {@link dev.xsched.hip.HipError#LAUNCH_FAILURE}
     * (its call names the kernel and ends with {@code [}{@value #INJECTED_FAULT}{@code ]}), after
     * the checks every launch gets: a fault injected for tests and stress runs of code that must
     * survive a failed launch (a scheduler's queue, for one). The launch is not queued; the
     * stream, its other commands and the device are unaffected.
     *
     * <p>Per launch, on purpose: on CUDA a kernel that faults while running poisons its whole
     * context (every later call fails); this models neither that sticky device-wide error nor an
     * asynchronous fault reported at a later call (for those, a {@link Builder#kernelBody kernel
     * body} that throws sets the device's sticky failure).
     *
     * @param kernel a kernel of a simulated platform
     * @return a new handle of the same kernel; {@code kernel} itself keeps launching normally
     * @throws IllegalArgumentException if {@code kernel} is not a simulated kernel
     */
    public static Kernel faulting(Kernel kernel) {
        if (!(Objects.requireNonNull(kernel, "kernel") instanceof SimKernel sim)) {
            throw new IllegalArgumentException("kernel " + kernel + " is not a kernel of a simulated platform");
        }
        return sim.asFaulting();
    }

    /**
     * Stops the real-time engine thread; afterwards every call into the platform throws
     * {@link IllegalStateException}, and work still queued never completes. Do not close the
     * platform {@code Hip.open("sim")} returns: the whole process shares it.
     */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once the platform is closed
     */
    public boolean isClosed() {
        return engine.isClosed();
    }

    @Override
    public String toString() {
        return "SimulatedPlatform[" + devices.size() + " x " + config.computeUnits() + " CUs x "
                + config.blocksPerComputeUnit() + " blocks, " + (config.virtualTime() ? "virtual" : "real") + " time, "
                + "hardware priority " + (config.hardwarePriority() ? "on" : "off") + ", " + config.costModel() + "]";
    }

    /**
     * Configures a {@link SimulatedPlatform}. Every setter validates its input at once
     * ({@link IllegalArgumentException} naming it).
     *
     * <p>Defaults: 1 device of 132 compute units running 1 block each (an H200), 80 GiB of memory,
     * hardware priority on, priorities 0 (least) to -5 (greatest), copies at 25 GB/s with no fixed
     * latency, 100 us blocks, yieldable blocks checking their stop flag every 20 us, virtual time.
     *
     * <h2>System properties</h2>
     * {@link #systemProperties()} reads these; the platform the provider opens
     * ({@code HIP_PLATFORM=sim}, or no GPU found) is built from them, in real time:
     * <ul>
     *   <li>{@value #COMPUTE_UNITS_PROPERTY}: compute units per device, an integer &gt;= 1;</li>
     *   <li>{@value #HARDWARE_PRIORITY_PROPERTY}: {@code true} or {@code false};</li>
     *   <li>{@value #TRACE_PROPERTY}: path of a kernel trace CSV ({@link TraceCostModel});</li>
     *   <li>{@value #BLOCK_MICROS_PROPERTY}: the default block duration in microseconds, a number
     *       &gt;= 0 (used for kernels the trace does not name, or for all without a trace);</li>
     *   <li>{@value #YIELD_CHECK_MICROS_PROPERTY}: how often blocks of yieldable kernels check their
     *       stop flag, in microseconds, a number &gt; 0 ({@link #yieldCheckInterval}).</li>
     * </ul>
     */
    public static final class Builder {
        private static final long MAX_MEMORY_BYTES = 1L << 56;

        private int devices = 1;
        private int computeUnits = 132;
        private int blocksPerComputeUnit = 1;
        private long memoryBytes = 80L << 30;
        private boolean hardwarePriority = true;
        private PriorityRange priorityRange = new PriorityRange(0, -5);
        private double copyBytesPerSecond = 25e9;
        private Duration latency = Duration.ZERO;
        private Duration launchHostCost = Duration.ZERO;
        private Duration defaultBlock = Duration.ofNanos(100_000);
        private Duration yieldCheck = Duration.ofNanos(DEFAULT_YIELD_CHECK_NANOS);
        private boolean stoppedBlocksRestart;
        /** Made at build time, when the slot count is known (a trace needs it). */
        private IntFunction<KernelCostModel> costModel;
        private String costModelSource = "fixed";
        private final Map<String, SimKernelBody> bodies = new LinkedHashMap<>();
        private final List<SimListener> listeners = new ArrayList<>();
        private boolean virtualTime = true;

        private Builder() {
        }

        /**
         * The number of devices; they share one lock and one address space, and each has its
         * own block slots.
         *
         * @param count devices, 0 or more (default 1)
         * @return this builder
         */
        public Builder devices(int count) {
            this.devices = atLeast(count, 0, "devices");
            return this;
        }

        /**
         * Compute units per device, {@link dev.xsched.hip.DeviceAttribute#COMPUTE_UNITS} of the
         * devices.
         *
         * @param count compute units, 1 or more (default 132, an H200's SMs)
         * @return this builder
         */
        public Builder computeUnits(int count) {
            this.computeUnits = atLeast(count, 1, "computeUnits");
            return this;
        }

        /**
         * Thread blocks one compute unit runs at once: the occupancy a real kernel would get from
         * its registers and shared memory, which the simulator does not model.
         *
         * @param count blocks, 1 or more (default 1)
         * @return this builder
         */
        public Builder blocksPerComputeUnit(int count) {
            this.blocksPerComputeUnit = atLeast(count, 1, "blocksPerComputeUnit");
            return this;
        }

        /**
         * Device memory per device, for accounting only: allocations beyond it fail with
         * {@link dev.xsched.hip.HipError#OUT_OF_MEMORY}; a buffer costs host memory only once it
         * is accessed.
         *
         * @param bytes the size, 1 to 2<sup>56</sup> bytes (default 80 GiB)
         * @return this builder
         */
        public Builder memoryBytes(long bytes) {
            if (bytes < 1 || bytes > MAX_MEMORY_BYTES) {
                throw new IllegalArgumentException("memoryBytes must be in 1.." + MAX_MEMORY_BYTES + ", got " + bytes);
            }
            this.memoryBytes = bytes;
            return this;
        }

        /**
         * Whether freed block slots go to the highest-priority stream first (true, the default, as on
         * an H200) or strictly to the kernel submitted first (false, as with priorities disabled).
         *
         * @param enabled whether priorities act at block boundaries
         * @return this builder
         */
        public Builder hardwarePriority(boolean enabled) {
            this.hardwarePriority = enabled;
            return this;
        }

        /**
         * The stream priorities devices accept.
         *
         * @param least    the lowest priority, numerically largest (default 0)
         * @param greatest the highest priority, numerically smallest (default -5, as on an H200)
         * @return this builder
         * @throws IllegalArgumentException if {@code greatest > least}
         */
        public Builder priorityRange(int least, int greatest) {
            this.priorityRange = new PriorityRange(least, greatest);
            return this;
        }

        /**
         * The speed of every copy and memset, whatever its direction; copies of different streams
         * do not share it.
         *
         * @param bytesPerSecond bytes per second, finite and {@code > 0} (default 25e9)
         * @return this builder
         */
        public Builder copyBandwidth(double bytesPerSecond) {
            if (!(bytesPerSecond > 0) || Double.isInfinite(bytesPerSecond)) {
                throw new IllegalArgumentException("copy bandwidth must be a finite number > 0 bytes/s, got " + bytesPerSecond);
            }
            this.copyBytesPerSecond = bytesPerSecond;
            return this;
        }

        /**
         * A fixed delay of every command that takes time: added to each copy and memset, and
         * elapsed between a kernel reaching the head of its stream and its first block (default 0).
         *
         * @param latency the delay, not negative
         * @return this builder
         */
        public Builder commandLatency(Duration latency) {
            this.latency = nonNegative(latency, "commandLatency");
            return this;
        }

        /**
         * Host time that every kernel launch costs the thread that makes it, spent spinning before
         * the launch is queued (default 0): what a driver's launch call costs the CPU, about 3 us
         * for an empty kernel through the CUDA driver on the H200 (`xsched bench launch`). With it
         * the simulator shows the code around launches the hand-offs it meets on a GPU, where a
         * thread that only buffers a command is faster than one that launches it. Wall-clock time
         * on the calling thread, also on a platform in virtual time.
         *
         * @param cost the host time per launch, not negative
         * @return this builder
         */
        public Builder launchHostCost(Duration cost) {
            this.launchHostCost = nonNegative(cost, "launchHostCost");
            return this;
        }

        /**
         * Block duration of the default cost model, and of kernels a trace does not name. Ignored
         * with {@link #costModel}.
         *
         * @param perBlock the duration of one block, not negative (default 100 us)
         * @return this builder
         */
        public Builder defaultBlockDuration(Duration perBlock) {
            this.defaultBlock = nonNegative(perBlock, "defaultBlockDuration");
            return this;
        }

        /**
         * How often a running block of a {@linkplain dev.xsched.hip.YieldableKernels yieldable}
         * kernel checks its stop flag (default 20 us): once a copy or memset raises the flag of a
         * managed launch, each running block stops at its next check, saving its progress in whole
         * check intervals, and blocks not started return at once. At least 1 ns.
         *
         * @param interval the time between two checks, positive
         * @return this builder
         */
        public Builder yieldCheckInterval(Duration interval) {
            nonNegative(interval, "yieldCheckInterval");
            if (interval.isZero()) {
                throw new IllegalArgumentException("yieldCheckInterval must be positive, got " + interval);
            }
            this.yieldCheck = interval;
            return this;
        }

        /**
         * What a block of a yieldable kernel that stopped at a check keeps for its relaunch: false
         * (the default), the progress of the check intervals it completed, so the relaunch runs
         * only the rest; true, nothing, so the relaunch runs it whole again, as kernels do that
         * redo a stopped tile from scratch instead of saving their partial state (the examples'
         * ResNet convolutions).
         *
         * @param restart whether a stopped block starts again from its beginning
         * @return this builder
         */
        public Builder stoppedBlocksRestart(boolean restart) {
            this.stoppedBlocksRestart = restart;
            return this;
        }

        /**
         * Block durations from {@code model}; replaces an earlier {@link #trace}.
         *
         * @param model the model, thread-safe
         * @return this builder
         */
        public Builder costModel(KernelCostModel model) {
            Objects.requireNonNull(model, "model");
            this.costModel = slots -> model;
            this.costModelSource = "costModel";
            return this;
        }

        /**
         * Block durations from a kernel trace ({@link TraceCostModel}), derived for this builder's
         * slot count at build time; replaces an earlier {@link #costModel}. The file is read by
         * {@link #build()}.
         *
         * @param csv the trace ({@link TraceCostModel} gives its format)
         * @return this builder
         */
        public Builder trace(Path csv) {
            Objects.requireNonNull(csv, "csv");
            this.costModel = slots -> TraceCostModel.load(csv, slots, defaultBlock);
            this.costModelSource = "trace " + csv;
            return this;
        }

        /**
         * The Java body of kernel {@code name} ({@link SimKernelBody}); replaces an earlier one.
         * Kernels without a body only take time.
         *
         * @param name the kernel's symbol name, not blank
         * @param body what a launch does to device memory
         * @return this builder
         */
        public Builder kernelBody(String name, SimKernelBody body) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(body, "body");
            if (name.isBlank()) {
                throw new IllegalArgumentException("kernel name must not be blank");
            }
            bodies.put(name, body);
            return this;
        }

        /**
         * An observer from the first submission on.
         *
         * @param listener the observer; may be given more than once
         * @return this builder
         */
        public Builder listener(SimListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Manual, deterministic time ({@link VirtualClock}); the default.
         *
         * @return this builder
         */
        public Builder virtualTime() {
            this.virtualTime = true;
            return this;
        }

        /**
         * Wall-clock time, with a daemon engine thread completing work when due. Close the platform
         * when done with it to stop the thread.
         *
         * @return this builder
         */
        public Builder realTime() {
            this.virtualTime = false;
            return this;
        }

        /**
         * Applies the {@code xsched.sim.*} system properties that are set (see the class documentation).
         *
         * @return this builder
         * @throws IllegalArgumentException naming the property whose value is invalid
         */
        public Builder systemProperties() {
            return properties(System::getProperty);
        }

        /**
         * Applies the {@code xsched.sim.*} properties {@code lookup} returns (null: not set).
         *
         * @param lookup the properties, for example {@code Map::get} of a map
         * @return this builder
         * @throws IllegalArgumentException naming the property whose value is invalid
         */
        public Builder properties(Function<String, String> lookup) {
            Objects.requireNonNull(lookup, "lookup");
            String units = lookup.apply(COMPUTE_UNITS_PROPERTY);
            if (units != null) {
                int value = parse(COMPUTE_UNITS_PROPERTY, units, Integer::parseInt, "a positive integer");
                if (value < 1) {
                    throw new IllegalArgumentException(COMPUTE_UNITS_PROPERTY + " must be a positive integer, got '" + units + "'");
                }
                computeUnits(value);
            }
            String priority = lookup.apply(HARDWARE_PRIORITY_PROPERTY);
            if (priority != null) {
                String value = priority.strip().toLowerCase(java.util.Locale.ROOT);
                if (!value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException(HARDWARE_PRIORITY_PROPERTY + " must be true or false, got '" + priority + "'");
                }
                hardwarePriority(Boolean.parseBoolean(value));
            }
            String micros = lookup.apply(BLOCK_MICROS_PROPERTY);
            if (micros != null) {
                double value = parse(BLOCK_MICROS_PROPERTY, micros, Double::parseDouble, "a number of microseconds >= 0");
                if (!(value >= 0) || Double.isInfinite(value)) {
                    throw new IllegalArgumentException(BLOCK_MICROS_PROPERTY + " must be a number of microseconds >= 0, got '"
                            + micros + "'");
                }
                defaultBlockDuration(Duration.ofNanos(Math.round(value * 1000)));
            }
            String check = lookup.apply(YIELD_CHECK_MICROS_PROPERTY);
            if (check != null) {
                double value = parse(YIELD_CHECK_MICROS_PROPERTY, check, Double::parseDouble, "a number of microseconds > 0");
                long nanos = Math.round(value * 1000);
                if (!(value > 0) || Double.isInfinite(value) || nanos < 1) {
                    throw new IllegalArgumentException(YIELD_CHECK_MICROS_PROPERTY
                            + " must be a number of microseconds > 0, got '" + check + "'");
                }
                yieldCheckInterval(Duration.ofNanos(nanos));
            }
            String trace = lookup.apply(TRACE_PROPERTY);
            if (trace != null && !trace.isBlank()) {
                trace(Path.of(trace.strip()));
            }
            return this;
        }

        /**
         * Builds the platform (and in real time starts its engine thread).
         *
         * @return the platform, owned by the caller (close it in real time)
         * @throws java.io.UncheckedIOException if a trace cannot be read
         * @throws IllegalArgumentException     if a trace is malformed
         */
        public SimulatedPlatform build() {
            int slots = Math.multiplyExact(computeUnits, blocksPerComputeUnit);
            KernelCostModel model = costModel == null ? KernelCostModel.fixed(defaultBlock) : costModel.apply(slots);
            return new SimulatedPlatform(new SimConfig(devices, computeUnits, blocksPerComputeUnit, memoryBytes,
                    hardwarePriority, priorityRange, copyBytesPerSecond, latency.toNanos(), yieldCheck.toNanos(),
                    stoppedBlocksRestart, model,
                    bodies, listeners,
                    virtualTime, launchHostCost.toNanos()));
        }

        @Override
        public String toString() {
            return "SimulatedPlatform.Builder[" + devices + " x " + computeUnits + " CUs, cost model " + costModelSource + "]";
        }

        private static int atLeast(int value, int minimum, String name) {
            if (value < minimum) {
                throw new IllegalArgumentException(name + " must be >= " + minimum + ", got " + value);
            }
            return value;
        }

        private static Duration nonNegative(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, got " + duration);
            }
            return duration;
        }

        private static <T> T parse(String property, String text, Function<String, T> parser, String expected) {
            try {
                return parser.apply(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + " must be " + expected + ", got '" + text + "'");
            }
        }
    }
}
