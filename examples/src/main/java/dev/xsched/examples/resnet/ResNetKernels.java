package dev.xsched.examples.resnet;

import dev.xsched.examples.config.BooleanProperty;
import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Dim3;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.KernelCompiler;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.SlicedKernels;
import dev.xsched.hip.YieldableKernels;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.TraceCostModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.xsched.hip.ParamType.INT;
import static dev.xsched.hip.ParamType.POINTER;

/**
 * The kernels of resnet_kernels.hip (FP32 convolutions, pooling), conv_tf32.hip (TF32
 * tensor-core convolutions, compiled only for NVIDIA sm_80 and newer) and conv_mfma.hip (FP32
 * convolutions on AMD's matrix cores, compiled only for gfx908 and gfx90a: {@link MatrixCores})
 * compiled and loaded on one device, with their declared signatures and the argument lists that
 * match them.
 * {@link #forDevice} compiles once per device and keeps the module loaded for the life of the
 * JVM: every model built on that device shares it.
 */
public final class ResNetKernels {
    public static final String SOURCE_NAME = "resnet_kernels.hip";
    /** The tensor-core convolutions, appended to {@link #SOURCE_NAME}'s source. */
    public static final String TF32_SOURCE_NAME = "conv_tf32.hip";
    /** The matrix-core convolutions ({@link MatrixCores}), appended after {@link #TF32_SOURCE_NAME}'s. */
    public static final String MATRIX_CORE_SOURCE_NAME = "conv_mfma.hip";
    public static final String MAX_POOL = "max_pool2d";
    /** The yieldable twin of {@link #MAX_POOL}: its arguments, then the three control pointers. */
    public static final String MAX_POOL_YIELD = MAX_POOL + "_yield";
    /**
     * The persistent-grid twin of {@link #MAX_POOL_YIELD} ({@link PersistentGrid}): the same
     * arguments and the tile counter before the control pointers, launched with fewer blocks than
     * the element-wise grid.
     */
    public static final String MAX_POOL_PERSIST = MAX_POOL + "_persist";
    public static final String GLOBAL_AVG_POOL = "global_avg_pool";
    /** The yieldable twin of {@link #GLOBAL_AVG_POOL}: its arguments, then the three control pointers. */
    public static final String GLOBAL_AVG_POOL_YIELD = GLOBAL_AVG_POOL + "_yield";
    /** Threads per block of the element-wise kernels (pooling). */
    public static final int ELEMENTWISE_THREADS = 256;

    /**
     * conv2d_igemm_*, conv2d_tf32_* and conv2d_mfma_*(in, wt, bias, residual, out, batch, C, H, W,
     * Cout, OH, OW, KH, KW, stride, pad, flags, offset): sliceable ({@link SlicedKernels}), the last
     * int is the block offset of a slice.
     * {@link #convArgs} builds the arguments without it; launch through
     * {@link dev.xsched.hip.CommandQueue#launchSliced} or with {@link #unsliced}.
     */
    private static final List<ParamType> CONV_SIGNATURE = List.of(POINTER, POINTER, POINTER, POINTER, POINTER,
            INT, INT, INT, INT, INT, INT, INT, INT, INT, INT, INT, INT, INT);

    /**
     * The yieldable twins (conv2d_igemm_*_yield, conv2d_tf32_*_yield, conv2d_mfma_*_yield): the
     * same arguments without the block offset, then the three control pointers of
     * {@link YieldableKernels} (launch through {@link dev.xsched.hip.CommandQueue#launchYieldable}).
     */
    private static final List<ParamType> CONV_YIELD_SIGNATURE = List.of(POINTER, POINTER, POINTER, POINTER, POINTER,
            INT, INT, INT, INT, INT, INT, INT, INT, INT, INT, INT, INT, POINTER, POINTER, POINTER);

    /**
     * conv2d_tf32_*_persist, the {@linkplain PersistentGrid persistent-grid} twins: the yieldable
     * kernels' arguments and a pointer to the launch's tile counter (an int of device memory, zero
     * before the kernel's first launch; {@link #persistDynamic()}), then the three control pointers.
     */
    private static final List<ParamType> CONV_PERSIST_SIGNATURE = List.of(POINTER, POINTER, POINTER, POINTER, POINTER,
            INT, INT, INT, INT, INT, INT, INT, INT, INT, INT, INT, INT, POINTER, POINTER, POINTER, POINTER);

    /**
     * conv2d_tf32_64x64_splitk ({@link SplitK}): the convolution's arguments, the splits, the
     * partial tiles (tiles x splits x 64 x 64 floats) and the per-tile arrival counts (an int per
     * tile, zero before the first launch; the kernel leaves them zero), then the block offset: sliceable.
     */
    private static final List<ParamType> CONV_SPLIT_K_SIGNATURE = List.of(POINTER, POINTER, POINTER, POINTER, POINTER,
            INT, INT, INT, INT, INT, INT, INT, INT, INT, INT, INT, INT, INT, POINTER, POINTER, INT);

    /** The tile shapes with a matrix-core kernel; before {@link #SIGNATURES}, which names them. */
    private static final List<ConvTiling> MATRIX_CORE_TILINGS =
            java.util.Arrays.stream(ConvTiling.values()).filter(ConvTiling::hasMatrixCoreKernel).toList();

    /** Every kernel of the source with its parameter types, in the order the source declares them. */
    public static final Map<String, List<ParamType>> SIGNATURES = signatures();

    /**
     * Floats a tensor of a TF32 convolution may hold: conv_tf32.hip indexes with 32-bit ints (to
     * save registers), so every element offset must fit one.
     */
    static final long TF32_MAX_ELEMENTS = Integer.MAX_VALUE;

    /** Bits of the convolution's {@code flags} argument. */
    static final int FLAG_RELU = 1;
    static final int FLAG_RESIDUAL = 2;

    /**
     * K slices between two stop-flag checks of a yieldable TF32 convolution (conv_tf32.hip's
     * XSCHED_TC_YIELD_EVERY): more checks bound a suspend's wait tighter, fewer cost the batch
     * model less. A check every 16 slices of 16 is one every 256 of K, about 20 microseconds of a
     * 128x128 tile on an H200.
     */
    public static final int DEFAULT_TF32_YIELD_EVERY = 16;
    /**
     * The system property that overrides {@link #DEFAULT_TF32_YIELD_EVERY} (a whole number, at least 2),
     * read when a device's kernels are first compiled: for measuring the checks' cost on a GPU
     * without a rebuild ({@code RunResNet --yield-every}, or {@code XSCHED_JAVA_OPTS=-D...} for the demo).
     */
    public static final String TF32_YIELD_EVERY_PROPERTY = "xsched.resnet.tf32YieldEvery";

    /**
     * K slices by which the leader's read of the stop flag precedes the check that publishes it
     * (conv_tf32.hip's XSCHED_TC_FLAG_LEAD): the read is a load from L2 that the leader must have
     * back before the check's barrier, so a lead too short for its latency stalls the whole block.
     */
    public static final int DEFAULT_TF32_FLAG_LEAD = 1;
    /**
     * The system property that overrides {@link #DEFAULT_TF32_FLAG_LEAD} (a whole number from 1 to
     * the check interval less one), read when a device's kernels are first compiled: for measuring
     * the read's cost on a GPU without a rebuild.
     */
    public static final String TF32_FLAG_LEAD_PROPERTY = "xsched.resnet.tf32FlagLead";

    /**
     * The system property that chooses how the yieldable TF32 convolutions' managed loop is
     * compiled (conv_tf32.hip's XSCHED_TC_CHUNKED: {@code true} or {@code false}, default true):
     * chunked, a checkpoint on the first slice of every {@link #tf32YieldEvery()} and no yield code
     * in the slices between, the entry check folded into the first checkpoint; or, with
     * {@code false}, the older loop that tests for a check on every slice. Chunked is the default
     * since the H200 run of 2026-12-02 (docs/results.md): the batch model beside the online one at
     * 7.03 it/s against 6.75 with the older loop, its blocks still stopping at a raised flag (the
     * ResNet GPU tests pass with both loops).
     */
    public static final String TF32_CHUNKED_PROPERTY = "xsched.resnet.tf32Chunked";

    /**
     * The system property that chooses how the {@linkplain PersistentGrid persistent-grid} twins
     * assign tiles to their blocks (resnet_kernels.hip's XSCHED_PERSIST_DYNAMIC: {@code true} or
     * {@code false}, default true), read when a device's kernels are first compiled. True,
     * dynamic: each block claims its next tile from the launch's tile counter, so that a block that
     * starts late takes fewer and the blocks finish together. False, static: block b takes tiles
     * b, b + grid, ..., which assumes every block resident from the start. Dynamic is the default
     * since the H200 measured both (round 24, 2026-12-03, ResNet-50 b1024 through a never-suspended
     * XQueue, {@code RunResNet --compare-yield}, one lease): 95.2% of the plain kernels' rate
     * against 93.2% static; the ResNet GPU tests pass with it.
     */
    public static final String PERSIST_DYNAMIC_PROPERTY = "xsched.resnet.persistDynamic";

    /**
     * The system property that chooses whether the {@linkplain PersistentGrid persistent-grid}
     * twins make their integer arguments opaque at each tile's start (conv_tf32.hip's
     * XSCHED_TC_PERSIST_OPAQUE: {@code true} or {@code false}; unset, the copies are made only
     * where the twins that take every kind of load run, that is with {@link #splitLoads()} off),
     * read when a device's kernels are first compiled. The copies keep the compiler from holding
     * what it derives from the arguments in registers across tiles, which made the twins that take
     * every kind of load spill (round 20: 93.3% of the plain kernels' rate with them, 89.2%
     * without). The twins by kind of load ({@link ConvLoads}, the default) have registers to spare
     * and spill nothing without them, and run faster so: on the H200 the batch model beside the
     * online one at 94.6% of its rate alone against 93.4% with them (round 30, 180 s each), and
     * the ResNet GPU tests passed without them (round 31).
     */
    public static final String PERSIST_OPAQUE_PROPERTY = "xsched.resnet.persistOpaque";

    /**
     * The system property that launches the batch model's pooling kernels (max pool and global
     * average pool) through their yieldable twins in {@link ResNet#forwardYieldable}
     * ({@code true} or {@code false}, default true): an HP request that arrives during
     * ResNet-50 b1024's 1.86 ms max pool then stops it at its blocks' entries instead of running
     * beside it, and no kernel of the model is left that cannot yield. On the H200 (round 9,
     * 2026-12-02, {@code xsched-hpf} 60 s each in one sitting) the online model's GPU span P99
     * went from 2.00 to 1.96 ms and its P99.9 from 2.21 to 2.07, the batch model's rate unchanged
     * (7.017 it/s); {@code false} keeps the plain pools.
     */
    public static final String YIELDABLE_POOL_PROPERTY = "xsched.resnet.yieldablePool";

    /**
     * The system property that launches the 128 x 128 TF32 convolutions through the kernels
     * compiled for their kind of input load ({@link ConvLoads}: {@code conv2d_tf32_128x128_vector},
     * {@code _point}, {@code _gather} and their twins) instead of the kernels that take every kind
     * ({@code true} or {@code false}, default true): see {@link #splitLoads()}.
     */
    public static final String SPLIT_LOADS_PROPERTY = "xsched.resnet.splitLoads";

    /**
     * The system property that launches the plain TF32 convolutions of layers too small to fill the
     * GPU with their K reduction split over several blocks per tile ({@link SplitK}:
     * {@code true} or {@code false}, default true): see {@link #splitK()}.
     */
    public static final String SPLIT_K_PROPERTY = "xsched.resnet.splitK";

    private static final Map<String, ResNetKernels> BY_DEVICE = new ConcurrentHashMap<>();

    private final HipModule module;
    private final Map<String, Kernel> kernels;

    private final String architecture;
    /** The platform instance the module was loaded through. */
    private final HipPlatform platform;

    private ResNetKernels(HipModule module, String architecture, HipPlatform platform) {
        this.module = module;
        this.architecture = architecture;
        this.platform = platform;
        Map<String, Kernel> loaded = new LinkedHashMap<>();
        signaturesFor(architecture).forEach((name, signature) ->
                loaded.put(name, module.function(name, signature.toArray(ParamType[]::new))));
        this.kernels = Map.copyOf(loaded);
    }

    private static Map<String, List<ParamType>> signatures() {
        Map<String, List<ParamType>> s = new LinkedHashMap<>();
        s.put(ConvTiling.LARGE.kernelName(), CONV_SIGNATURE);
        s.put(ConvTiling.SMALL.kernelName(), CONV_SIGNATURE);
        s.put(ConvTiling.LARGE.yieldKernelName(), CONV_YIELD_SIGNATURE);
        s.put(ConvTiling.SMALL.yieldKernelName(), CONV_YIELD_SIGNATURE);
        // max_pool2d(in, out, batch, C, H, W, OH, OW, kernel, stride, pad)
        s.put(MAX_POOL, List.of(POINTER, POINTER, INT, INT, INT, INT, INT, INT, INT, INT, INT));
        s.put(MAX_POOL_YIELD, List.of(POINTER, POINTER, INT, INT, INT, INT, INT, INT, INT, INT, INT, POINTER, POINTER, POINTER));
        s.put(MAX_POOL_PERSIST, List.of(POINTER, POINTER, INT, INT, INT, INT, INT, INT, INT, INT, INT, POINTER, POINTER, POINTER,
                POINTER));
        // global_avg_pool(in, out, planes, hw)
        s.put(GLOBAL_AVG_POOL, List.of(POINTER, POINTER, INT, INT));
        s.put(GLOBAL_AVG_POOL_YIELD, List.of(POINTER, POINTER, INT, INT, POINTER, POINTER, POINTER));
        for (ConvTiling t : List.of(ConvTiling.LARGE, ConvTiling.SMALL, ConvTiling.NARROW)) {
            s.put(t.kernelName(ConvPrecision.TF32), CONV_SIGNATURE);
            s.put(t.yieldKernelName(ConvPrecision.TF32), CONV_YIELD_SIGNATURE);
            s.put(t.persistKernelName(), CONV_PERSIST_SIGNATURE);
            if (t.splitsK(ConvPrecision.TF32)) {
                s.put(t.splitKKernelName(), CONV_SPLIT_K_SIGNATURE);
            }
        }
        for (ConvTiling t : List.of(ConvTiling.LARGE, ConvTiling.SMALL, ConvTiling.NARROW)) {
            for (String plain : t.kernelNamesByLoads(ConvPrecision.TF32)) {   // declared after all the others
                s.put(plain, CONV_SIGNATURE);
                s.put(plain + "_yield", CONV_YIELD_SIGNATURE);
                s.put(plain + "_persist", CONV_PERSIST_SIGNATURE);
            }
        }
        for (ConvTiling t : MATRIX_CORE_TILINGS) {   // conv_mfma.hip comes last
            s.put(t.matrixCoreKernelName(), CONV_SIGNATURE);
            s.put(t.matrixCoreKernelName() + "_yield", CONV_YIELD_SIGNATURE);
        }
        return java.util.Collections.unmodifiableMap(s);
    }

    /**
     * The kernels a code object for {@code architecture} holds: those of {@link #SIGNATURES} but the
     * TF32 convolutions where TF32 is not supported (conv_tf32.hip compiles to nothing there: all
     * but NVIDIA sm_80 and newer) and the matrix-core ones where {@link MatrixCores} are not (all
     * but gfx908 and gfx90a).
     */
    public static Map<String, List<ParamType>> signaturesFor(String architecture) {
        Map<String, List<ParamType>> s = new LinkedHashMap<>(SIGNATURES);
        if (!MatrixCores.supportedOn(architecture)) {
            for (ConvTiling t : MATRIX_CORE_TILINGS) {
                s.remove(t.matrixCoreKernelName());
                s.remove(t.matrixCoreKernelName() + "_yield");
            }
        }
        if (ConvPrecision.TF32.supportedOn(architecture)) {
            return java.util.Collections.unmodifiableMap(s);
        }
        for (ConvTiling t : ConvTiling.values()) {
            s.remove(t.kernelName(ConvPrecision.TF32));
            s.remove(t.yieldKernelName(ConvPrecision.TF32));
            s.remove(t.persistKernelName());
            if (t.splitsK(ConvPrecision.TF32)) {
                s.remove(t.splitKKernelName());
            }
            for (String plain : t.kernelNamesByLoads(ConvPrecision.TF32)) {
                s.remove(plain);
                s.remove(plain + "_yield");
                s.remove(plain + "_persist");
            }
        }
        return java.util.Collections.unmodifiableMap(s);
    }

    /** An unsliced launch's arguments of a sliceable kernel: {@code args} with block offset 0 appended. */
    public static KernelArgs unsliced(KernelArgs args) {
        return args.withI32(0);
    }

    /**
     * The kernel source: {@link SlicedKernels#PRELUDE}, {@link YieldableKernels#PRELUDE}, the TF32
     * convolutions' check interval ({@link #tf32YieldEvery()}), flag lead and loop
     * ({@link #tf32Chunked()}), the persistent twins' tile assignment ({@link #persistDynamic()})
     * and opaque arguments ({@link #persistOpaque()}),
     * then resnet_kernels.hip, conv_tf32.hip and conv_mfma.hip from this module's resources.
     */
    public static String source() {
        int every = tf32YieldEvery();
        return SlicedKernels.PRELUDE + YieldableKernels.PRELUDE + "#define XSCHED_TC_YIELD_EVERY " + every + "\n"
                + "#define XSCHED_TC_FLAG_LEAD " + tf32FlagLead(every) + "\n"
                + "#define XSCHED_TC_CHUNKED " + (tf32Chunked() ? 1 : 0) + "\n"
                + "#define XSCHED_PERSIST_DYNAMIC " + (persistDynamic() ? 1 : 0) + "\n"
                + "#define XSCHED_TC_PERSIST_OPAQUE " + (persistOpaque() ? 1 : 0) + "\n"
                + resourceSource(SOURCE_NAME) + resourceSource(TF32_SOURCE_NAME) + resourceSource(MATRIX_CORE_SOURCE_NAME);
    }

    /**
     * K slices between two stop-flag checks of the yieldable TF32 convolutions: the system property
     * {@value #TF32_YIELD_EVERY_PROPERTY} if set, else {@value #DEFAULT_TF32_YIELD_EVERY}.
     *
     * @throws IllegalArgumentException if the property is not a whole number of at least 2
     */
    public static int tf32YieldEvery() {
        String value = System.getProperty(TF32_YIELD_EVERY_PROPERTY);
        return value == null ? DEFAULT_TF32_YIELD_EVERY : checkYieldEvery(TF32_YIELD_EVERY_PROPERTY, value);
    }

    /**
     * K slices by which the stop flag's read precedes its check in the yieldable TF32 convolutions:
     * the system property {@value #TF32_FLAG_LEAD_PROPERTY} if set, else
     * {@value #DEFAULT_TF32_FLAG_LEAD}, at most {@code every - 1}.
     *
     * @param every the check interval the source is compiled with
     * @return the lead
     * @throws IllegalArgumentException if the property is not a whole number from 1 to {@code every - 1}
     */
    public static int tf32FlagLead(int every) {
        String value = System.getProperty(TF32_FLAG_LEAD_PROPERTY);
        int lead = value == null ? DEFAULT_TF32_FLAG_LEAD : wholeSlices(TF32_FLAG_LEAD_PROPERTY, value);
        if (lead < 1 || lead >= every) {
            throw new IllegalArgumentException(TF32_FLAG_LEAD_PROPERTY + " must be from 1 to " + (every - 1)
                    + " K slices (below the check interval " + every + "), got " + lead);
        }
        return lead;
    }

    /**
     * Whether the yieldable TF32 convolutions' managed loop is compiled in chunks: the system
     * property {@value #TF32_CHUNKED_PROPERTY}, true when unset.
     *
     * @return the property's value
     * @throws IllegalArgumentException if the property is neither {@code true} nor {@code false}
     */
    public static boolean tf32Chunked() {
        return BooleanProperty.read(TF32_CHUNKED_PROPERTY, true);
    }

    /**
     * Whether the persistent-grid twins claim their tiles dynamically: the system property
     * {@value #PERSIST_DYNAMIC_PROPERTY}, true (dynamic assignment) when unset.
     *
     * @return the property's value
     * @throws IllegalArgumentException if the property is neither {@code true} nor {@code false}
     */
    public static boolean persistDynamic() {
        return BooleanProperty.read(PERSIST_DYNAMIC_PROPERTY, true);
    }

    /**
     * Whether the persistent twins make their arguments opaque at each tile: the system property
     * {@value #PERSIST_OPAQUE_PROPERTY}; when unset, only where the twins that take every kind of
     * load run ({@link #splitLoads()} off), since the twins by kind of load are faster without.
     *
     * @return the property's value
     * @throws IllegalArgumentException if the property is neither {@code true} nor {@code false}
     */
    public static boolean persistOpaque() {
        return BooleanProperty.read(PERSIST_OPAQUE_PROPERTY, !splitLoads());
    }

    /**
     * Whether the 128 x 128 TF32 convolutions launch the kernels of their kind of input load: the
     * system property {@value #SPLIT_LOADS_PROPERTY}, true when unset. The kernels that take every
     * kind choose at run time, and their twins hold both kinds' offsets at once: compiled for
     * sm_90 they spill registers inside the K loop (conv_tf32.hip, XSCHED_TC_BY_LOADS).
     *
     * @throws IllegalArgumentException if the property is neither {@code true} nor {@code false}
     */
    public static boolean splitLoads() {
        return BooleanProperty.read(SPLIT_LOADS_PROPERTY, true);
    }

    /**
     * Whether models on {@code device} launch the kernels of each kind of input load: on a real
     * device {@link #splitLoads()}; on a simulated one only where its kernel trace recorded such
     * kernels (it replays durations by kernel name, and the traces recorded before 2026-12-04 name
     * the kernels that take every kind).
     */
    public static boolean splitLoads(Device device) {
        return splitLoads() && launchable(device, ConvTiling.LARGE.kernelName(ConvPrecision.TF32, ConvLoads.GATHER));
    }

    /**
     * Whether {@code device} can run a kernel added after the simulator's traces were recorded: a
     * real device can; a simulated one only where its kernel trace has {@code kernel} (it replays
     * durations by kernel name, so a kernel its trace lacks has no duration to replay).
     */
    private static boolean launchable(Device device, String kernel) {
        if (device.platform() instanceof SimulatedPlatform sim) {
            return sim.costModel() instanceof TraceCostModel trace && trace.kernelNames().contains(kernel);
        }
        return true;
    }

    /**
     * Whether the plain TF32 convolutions of small layers split their K reduction: the system
     * property {@value #SPLIT_K_PROPERTY}, true when unset.
     *
     * @throws IllegalArgumentException if the property is neither {@code true} nor {@code false}
     */
    public static boolean splitK() {
        return BooleanProperty.read(SPLIT_K_PROPERTY, true);
    }

    /**
     * Whether models on {@code device} split K ({@link SplitK}): on a real device {@link #splitK()};
     * on a simulated one only where its kernel trace recorded the split-K kernel (it replays
     * durations by kernel name, and the traces recorded before 2026-12-04 have none).
     */
    public static boolean splitK(Device device) {
        return splitK() && launchable(device, ConvTiling.SMALL.splitKKernelName());
    }

    /**
     * Whether {@link ResNet#forwardYieldable} launches the pooling kernels yieldable: the system property
     * {@value #YIELDABLE_POOL_PROPERTY}, true when unset.
     *
     * @return the property's value
     * @throws IllegalArgumentException if the property is neither {@code true} nor {@code false}
     */
    public static boolean yieldablePool() {
        return BooleanProperty.read(YIELDABLE_POOL_PROPERTY, true);
    }

    /**
     * {@code text} as a check interval (2 to 65536 K slices; a check needs the loop barriers
     * between two of them), else an exception naming {@code what}.
     */
    static int checkYieldEvery(String what, String text) {
        int every = wholeSlices(what, text);
        if (every < 2 || every > 65536) {
            throw new IllegalArgumentException(what + " must be from 2 to 65536 K slices, got " + every);
        }
        return every;
    }

    /** {@code text} as a whole number of K slices, else an exception naming {@code what}. */
    private static int wholeSlices(String what, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number of K slices, got '" + text + "'");
        }
    }

    private static String resourceSource(String name) {
        try (InputStream in = ResNetKernels.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the examples module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /**
     * Options for {@code target}: hiprtc gets {@code -O3} (and the target, when given explicitly);
     * NVRTC optimises by default and targets the device it was opened for.
     */
    public static List<String> compileOptions(String target) {
        if (target.startsWith("gfx")) {
            return List.of("-O3", "--offload-arch=" + target);
        }
        return List.of();
    }

    /** Compiles the source for {@code target} (for example {@code gfx90a} or {@code sm_90}). */
    public static CodeObject compile(KernelCompiler compiler, String target) {
        return compiler.compile(SOURCE_NAME, source(), compileOptions(target));
    }

    /**
     * The kernels loaded on {@code device}, compiled on first use. Kept per platform name and device
     * index, for the platform instance that loaded them: a GPU platform is one instance for the
     * life of the JVM, but each simulated platform is a device of its own, so a new one (a test's,
     * the demo's) gets its own module instead of one loaded on an earlier, perhaps closed, instance.
     */
    public static ResNetKernels forDevice(Device device) {
        String key = device.platform().name() + "#" + device.index();
        return BY_DEVICE.compute(key, (k, loaded) -> {
            if (loaded != null && loaded.platform == device.platform()) {
                return loaded;
            }
            CodeObject code = compile(device.compiler(), device.architecture());
            return new ResNetKernels(device.loadModule(code), device.architecture(), device.platform());
        });
    }

    public Kernel kernel(String name) {
        Kernel k = kernels.get(name);
        if (k == null) {
            throw new IllegalArgumentException(SIGNATURES.containsKey(name)
                    ? "kernel '" + name + "' is not compiled for " + architecture + (MatrixCores.isKernel(name)
                    ? " (the matrix-core kernels are compiled for gfx908 and gfx90a)" : " (TF32 needs NVIDIA sm_80 or newer)")
                    : "no kernel '" + name + "'; kernels: " + kernels.keySet());
        }
        return k;
    }

    /** Whether this device's module holds the convolutions of {@code precision}. */
    public boolean supports(ConvPrecision precision) {
        return precision.supportedOn(architecture);
    }

    public Kernel conv(ConvTiling tiling) {
        return kernel(tiling.kernelName());
    }

    public Kernel conv(ConvTiling tiling, ConvPrecision precision) {
        return kernel(tiling.kernelName(precision));
    }

    /** The yieldable variant of {@link #conv}. */
    public Kernel yieldableConv(ConvTiling tiling) {
        return kernel(tiling.yieldKernelName());
    }

    public Kernel yieldableConv(ConvTiling tiling, ConvPrecision precision) {
        return kernel(tiling.yieldKernelName(precision));
    }

    /**
     * Arguments of a convolution, without the trailing block offset (see {@link #CONV_SIGNATURE}). {@code residual} may be null; the kernel then never reads it,
     * but a pointer is still required, so the output is passed in its place.
     */
    public static KernelArgs convArgs(DeviceMemory in, DeviceMemory weightsKMajor, DeviceMemory bias, DeviceMemory residual,
                                      DeviceMemory out, ConvShape s, int batch, boolean relu) {
        return convArgs(in, weightsKMajor, bias, residual, out, s, batch, relu, ConvPrecision.FP32);
    }

    /**
     * {@link #convArgs(DeviceMemory, DeviceMemory, DeviceMemory, DeviceMemory, DeviceMemory, ConvShape, int, boolean)}
     * for the kernels of {@code precision}; TF32 also requires every tensor to hold fewer than 2^31 floats.
     */
    public static KernelArgs convArgs(DeviceMemory in, DeviceMemory weightsKMajor, DeviceMemory bias, DeviceMemory residual,
                                      DeviceMemory out, ConvShape s, int batch, boolean relu, ConvPrecision precision) {
        Checks.positive("batch", batch);
        if (precision == ConvPrecision.TF32) {
            long largest = Math.max(batch * s.inputElements(), batch * s.outputElements());
            if (largest > TF32_MAX_ELEMENTS) {
                throw new IllegalArgumentException(s + " at batch " + batch + " has a tensor of " + largest
                        + " floats; the TF32 kernels index up to " + TF32_MAX_ELEMENTS + " (use fp32 or a smaller batch)");
            }
        }
        requireFloats("input", in, batch * s.inputElements());
        requireFloats("weights", weightsKMajor, s.weightCount());
        requireFloats("bias", bias, s.outChannels());
        requireFloats("output", out, batch * s.outputElements());
        if (residual != null) {
            requireFloats("residual", residual, batch * s.outputElements());
        }
        int flags = (relu ? FLAG_RELU : 0) | (residual != null ? FLAG_RESIDUAL : 0);
        return KernelArgs.builder()
                .pointer(in).pointer(weightsKMajor).pointer(bias).pointer(residual != null ? residual : out).pointer(out)
                .i32(batch).i32(s.inChannels()).i32(s.inHeight()).i32(s.inWidth())
                .i32(s.outChannels()).i32(s.outHeight()).i32(s.outWidth())
                .i32(s.kernelSize()).i32(s.kernelSize()).i32(s.stride()).i32(s.padding())
                .i32(flags)
                .build();
    }

    /**
     * The arguments of {@code launch}'s split-K kernel ({@link #CONV_SPLIT_K_SIGNATURE}) without the
     * block offset: {@code convArgs}, then its splits, {@code partials} and {@code arrivals}.
     *
     * @throws IllegalArgumentException if {@code launch} does not split K, or a buffer is too small for it
     */
    public static KernelArgs splitKArgs(KernelArgs convArgs, PlannedLaunch launch, DeviceMemory partials,
                                        DeviceMemory arrivals) {
        if (!launch.splitsK()) {
            throw new IllegalArgumentException(launch + " does not split K");
        }
        requireFloats("partial tiles", partials, SplitK.partialFloats(launch.grid().volume()));
        if (arrivals.byteSize() < launch.tiles() * Integer.BYTES) {
            throw new IllegalArgumentException("arrival counts of " + launch.tiles() + " tiles need "
                    + launch.tiles() * Integer.BYTES + " bytes, got " + arrivals.byteSize());
        }
        return convArgs.with(KernelArgs.builder().i32(launch.splits()).pointer(partials).pointer(arrivals).build());
    }

    public static KernelArgs maxPoolArgs(DeviceMemory in, DeviceMemory out, PoolShape s, int batch) {
        Checks.positive("batch", batch);
        requireFloats("input", in, batch * s.inputElements());
        requireFloats("output", out, batch * s.outputElements());
        return KernelArgs.builder().pointer(in).pointer(out)
                .i32(batch).i32(s.channels()).i32(s.inHeight()).i32(s.inWidth()).i32(s.outHeight()).i32(s.outWidth())
                .i32(s.kernelSize()).i32(s.stride()).i32(s.padding())
                .build();
    }

    public static KernelArgs globalAvgPoolArgs(DeviceMemory in, DeviceMemory out, int planes, int planeSize) {
        Checks.positive("planes", planes);
        Checks.positive("planeSize", planeSize);
        requireFloats("input", in, (long) planes * planeSize);
        requireFloats("output", out, planes);
        return KernelArgs.builder().pointer(in).pointer(out).i32(planes).i32(planeSize).build();
    }

    public static LaunchConfig maxPoolConfig(PoolShape s, int batch) {
        return elementwise(batch * s.outputElements());
    }

    public static LaunchConfig globalAvgPoolConfig(int planes) {
        return elementwise(planes);
    }

    /** One thread per element, in blocks of {@link #ELEMENTWISE_THREADS}. */
    static LaunchConfig elementwise(long elements) {
        if (elements <= 0) {
            throw new IllegalArgumentException("elements must be > 0, got " + elements);
        }
        return LaunchConfig.of(Dim3.of(ConvTiling.ceilDiv(elements, ELEMENTWISE_THREADS)), Dim3.of(ELEMENTWISE_THREADS));
    }

    /** The memory must hold at least {@code floats} floats (the kernels never read past that). */
    private static void requireFloats(String what, DeviceMemory memory, long floats) {
        if (memory.byteSize() < floats * Float.BYTES) {
            throw new IllegalArgumentException(what + " needs " + floats + " floats (" + floats * Float.BYTES
                    + " bytes), the device memory given has " + memory.byteSize() + " bytes");
        }
    }

    @Override
    public String toString() {
        return "ResNetKernels" + kernels.keySet() + " in " + module;
    }
}
