package dev.xsched.examples.resnet;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Dim3;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A ResNet (or any {@link Network} of the same layer kinds) built on one device for one batch
 * size: weights uploaded, activation buffers allocated and every launch's arguments bound, once.
 * A forward pass then only enqueues {@link #launches()}.
 *
 * <pre>{@code
 * try (ResNet model = ResNet.build(gpu, ResNetArchitecture.RESNET50, 64, 42);
 *      Stream stream = gpu.createStream()) {
 *     model.uploadInput(stream, images);       // [64][3][224][224], waits
 *     model.forward(stream);                   // enqueues only: a scheduler's queue can gate it
 *     float[] logits = model.downloadLogits(stream);  // waits: [64][1000]
 * }
 * }</pre>
 *
 * Not thread-safe: two forward passes in flight at once share the activation buffers (and the
 * persistent twins' tile counters), so enqueue them on one queue (they then run one after the
 * other) or build one model per queue.
 */
public final class ResNet implements AutoCloseable {
    /** Weight and bias slices start on this boundary (the allocation granularity of both vendors). */
    private static final long ALIGNMENT = 256;

    private final Device device;
    private final Network network;
    private final int batch;
    private final ConvPrecision precision;
    private final List<DeviceBuffer> buffers;
    private final DeviceBuffer input;
    private final DeviceBuffer logits;
    private final List<KernelLaunch> launches;
    /** The persistent twins' tile counters, one int per twin's launch; null where no launch has one. */
    private final DeviceBuffer tileCounters;
    private boolean closed;

    private ResNet(Device device, Network network, int batch, ConvPrecision precision, List<DeviceBuffer> buffers,
                   DeviceBuffer input, DeviceBuffer logits, List<KernelLaunch> launches, DeviceBuffer tileCounters) {
        this.device = device;
        this.network = network;
        this.batch = batch;
        this.precision = precision;
        this.buffers = buffers;
        this.input = input;
        this.logits = logits;
        this.launches = List.copyOf(launches);
        this.tileCounters = tileCounters;
    }

    /**
     * {@code architecture} at 224x224 with random weights from {@code seed}, convolutions in the
     * device's {@linkplain ConvPrecision#defaultFor default precision}.
     */
    public static ResNet build(Device device, ResNetArchitecture architecture, int batch, long seed) {
        return build(device, architecture, batch, seed, ConvPrecision.defaultFor(device));
    }

    /**
     * {@code architecture} at 224x224 with random weights from {@code seed}, convolutions in
     * {@code precision}, persistent grids as {@link PersistentGrid#requested() requested} by its property.
     */
    public static ResNet build(Device device, ResNetArchitecture architecture, int batch, long seed, ConvPrecision precision) {
        return build(device, architecture, batch, seed, precision, PersistentGrid.requested());
    }

    /**
     * {@code architecture} at 224x224 with random weights from {@code seed}, convolutions in
     * {@code precision}, the yieldable kernels as persistent grids where {@code persistentGrids}
     * ({@link PersistentGrid}; never on a simulated device).
     */
    public static ResNet build(Device device, ResNetArchitecture architecture, int batch, long seed, ConvPrecision precision,
                               boolean persistentGrids) {
        Network network = architecture.network();
        return build(device, network, ModelWeights.random(network, seed), batch, precision, persistentGrids);
    }

    /** {@code network} with {@code weights} in the device's default precision; compiles the kernels on first use of the device. */
    public static ResNet build(Device device, Network network, ModelWeights weights, int batch) {
        return build(device, network, weights, batch, ConvPrecision.defaultFor(device));
    }

    /**
     * {@code network} with {@code weights}, convolutions in {@code precision}, persistent grids as
     * {@link PersistentGrid#requested() requested} by its property; compiles the kernels on first use of the device.
     *
     * @throws IllegalArgumentException if the device cannot run {@code precision}, or the property is
     *                                  neither {@code true} nor {@code false}
     */
    public static ResNet build(Device device, Network network, ModelWeights weights, int batch, ConvPrecision precision) {
        return build(device, network, weights, batch, precision, PersistentGrid.requested());
    }

    /**
     * {@code network} with {@code weights}, convolutions in {@code precision}, the yieldable kernels
     * as persistent grids where {@code persistentGrids} ({@link PersistentGrid}; never on a
     * simulated device, whose cost model charges per launched block); compiles the kernels on
     * first use of the device.
     *
     * @throws IllegalArgumentException if the device cannot run {@code precision}
     */
    public static ResNet build(Device device, Network network, ModelWeights weights, int batch, ConvPrecision precision,
                               boolean persistentGrids) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(precision, "precision").requireSupportedOn(device.architecture());
        Checks.positive("batch", batch);
        List<PlannedLaunch> plan = PlannedLaunch.plan(network, batch, device.computeUnits(), precision,
                ResNetKernels.splitLoads(device), ResNetKernels.splitK(device));
        plan = MatrixCores.planFor(plan, precision, device.architecture());
        ResNetKernels kernels = ResNetKernels.forDevice(device);
        ActivationPlan activations = ActivationPlan.of(network);
        List<DeviceBuffer> buffers = new ArrayList<>();
        try {
            DeviceBuffer input = allocateFloats(device, buffers, batch * network.input().elementsPerImage());
            DeviceBuffer logits = allocateFloats(device, buffers, batch * network.output().elementsPerImage());
            List<DeviceBuffer> slots = new ArrayList<>();
            for (int i = 0; i < activations.slots(); i++) {
                slots.add(allocateFloats(device, buffers, batch * activations.slotElementsPerImage()));
            }
            Map<String, DeviceWeights> deviceWeights = uploadWeights(device, network, weights, buffers);
            SplitKWorkspace splitK = SplitKWorkspace.allocate(device, plan, buffers);

            Map<Integer, DeviceMemory> memory = new HashMap<>();
            memory.put(network.input().id(), input);
            memory.put(network.output().id(), logits);
            for (Tensor t : network.tensors()) {
                activations.slotOf(t).ifPresent(slot -> memory.put(t.id(),
                        slots.get(slot).slice(0, batch * t.elementsPerImage() * Float.BYTES)));
            }
            List<KernelLaunch> launches = new ArrayList<>();
            for (int i = 0; i < plan.size(); i++) {
                launches.add(bind(plan.get(i), network.layers().get(i), kernels, memory, deviceWeights, batch, precision,
                        splitK));
            }
            DeviceBuffer tileCounters = PersistentGrid.used(persistentGrids, device.platform().isSimulated())
                    ? persistent(launches, kernels, device, buffers) : null;
            return new ResNet(device, network, batch, precision, buffers, input, logits, launches, tileCounters);
        } catch (RuntimeException | Error e) {
            buffers.forEach(DeviceBuffer::close);
            throw e;
        }
    }

    private record DeviceWeights(DeviceMemory weightsKMajor, DeviceMemory bias) {
    }

    /**
     * The split-K launches' partial tiles and arrival counts ({@link SplitK}), one pair for all of
     * them: the launches of a forward pass run one after another.
     */
    private record SplitKWorkspace(DeviceMemory partials, DeviceMemory arrivals) {
        /** The workspace {@code plan}'s split-K launches need, counts zeroed; null when none splits. */
        static SplitKWorkspace allocate(Device device, List<PlannedLaunch> plan, List<DeviceBuffer> owned) {
            long partialFloats = 0;
            long tiles = 0;
            for (PlannedLaunch launch : plan) {
                if (launch.splitsK()) {
                    partialFloats = Math.max(partialFloats, SplitK.partialFloats(launch.grid().volume()));
                    tiles = Math.max(tiles, launch.tiles());
                }
            }
            if (tiles == 0) {
                return null;
            }
            DeviceBuffer partials = allocateFloats(device, owned, partialFloats);
            DeviceBuffer arrivals = allocateBytes(device, owned, tiles * Integer.BYTES);
            try (Stream stream = device.createStream()) {
                stream.memset(arrivals, 0);
                stream.synchronize();
            }
            return new SplitKWorkspace(partials, arrivals);
        }
    }

    private static KernelLaunch bind(PlannedLaunch step, Layer layer, ResNetKernels kernels, Map<Integer, DeviceMemory> memory,
                                     Map<String, DeviceWeights> weights, int batch, ConvPrecision precision,
                                     SplitKWorkspace splitK) {
        Kernel kernel = kernels.kernel(step.kernel());
        var args = switch (layer) {
            case Layer.Conv c -> ResNetKernels.convArgs(memory.get(c.input().id()), weights.get(c.name()).weightsKMajor(),
                    weights.get(c.name()).bias(), c.residual().map(r -> memory.get(r.id())).orElse(null),
                    memory.get(c.output().id()), c.shape(), batch, c.relu(), precision);
            case Layer.Linear fc -> ResNetKernels.convArgs(memory.get(fc.input().id()), weights.get(fc.name()).weightsKMajor(),
                    weights.get(fc.name()).bias(), null, memory.get(fc.output().id()), fc.asConv(), batch, false, precision);
            case Layer.MaxPool p -> ResNetKernels.maxPoolArgs(memory.get(p.input().id()), memory.get(p.output().id()),
                    p.shape(), batch);
            case Layer.GlobalAvgPool g -> ResNetKernels.globalAvgPoolArgs(memory.get(g.input().id()),
                    memory.get(g.output().id()), batch * g.input().channels(), g.input().height() * g.input().width());
        };
        if (step.splitsK()) {
            // The yieldable twin keeps one block per tile: the unsplit kernel's, over the plan's tiles.
            KernelArgs splitArgs = ResNetKernels.splitKArgs(args, step, splitK.partials(), splitK.arrivals());
            LaunchConfig perTile = LaunchConfig.of(Dim3.of(Math.toIntExact(step.tiles())), step.block());
            return new KernelLaunch(step, kernel, ResNetKernels.unsliced(splitArgs), splitArgs,
                    kernels.kernel(ConvTiling.SMALL.yieldKernelName(precision)), args, perTile, null);
        }
        return switch (layer) {
            case Layer.Conv c -> KernelLaunch.preemptible(step, kernel, kernels.kernel(step.kernel() + "_yield"), args);
            case Layer.Linear fc -> KernelLaunch.preemptible(step, kernel, kernels.kernel(step.kernel() + "_yield"), args);
            case Layer.MaxPool p when ResNetKernels.yieldablePool() ->
                    KernelLaunch.yieldable(step, kernel, kernels.kernel(ResNetKernels.MAX_POOL_YIELD), args);
            case Layer.GlobalAvgPool g when ResNetKernels.yieldablePool() ->
                    KernelLaunch.yieldable(step, kernel, kernels.kernel(ResNetKernels.GLOBAL_AVG_POOL_YIELD), args);
            default -> new KernelLaunch(step, kernel, args);
        };
    }

    /**
     * Gives each launch of {@code launches} whose yieldable variant has a persistent twin
     * ({@link PersistentGrid}) that twin, with an int of one new buffer as its tile counter.
     *
     * @return the buffer of the tile counters (owned by {@code owned}), or null where no launch has a twin
     */
    private static DeviceBuffer persistent(List<KernelLaunch> launches, ResNetKernels kernels, Device device,
                                           List<DeviceBuffer> owned) {
        List<Integer> withTwin = new ArrayList<>();
        for (int i = 0; i < launches.size(); i++) {
            KernelLaunch launch = launches.get(i);
            if (launch.yieldKernel() != null && PersistentGrid.twinOf(launch.plan().kernel()).isPresent()) {
                withTwin.add(i);
            }
        }
        if (withTwin.isEmpty()) {
            return null;
        }
        DeviceBuffer counters = allocateBytes(device, owned, (long) withTwin.size() * Integer.BYTES);
        for (int k = 0; k < withTwin.size(); k++) {
            KernelLaunch launch = launches.get(withTwin.get(k));
            PersistentGrid.Twin twin = PersistentGrid.twinOf(launch.plan().kernel()).orElseThrow();
            launches.set(withTwin.get(k), launch.withPersistentTwin(kernels.kernel(twin.kernel()),
                    PersistentGrid.config(launch.plan().config(), device.computeUnits(), twin.blocksPerUnit()),
                    counters.slice((long) k * Integer.BYTES, Integer.BYTES)));
        }
        return counters;
    }

    /** Uploads every layer's weights (K-major) and bias into one buffer, each slice aligned. */
    private static Map<String, DeviceWeights> uploadWeights(Device device, Network network, ModelWeights weights,
                                                            List<DeviceBuffer> buffers) {
        List<ConvWeights> layers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Layer layer : network.layers()) {
            ConvShape expected = switch (layer) {
                case Layer.Conv c -> c.shape();
                case Layer.Linear fc -> fc.asConv();
                default -> null;
            };
            if (expected != null) {
                ConvWeights w = weights.of(layer.name());
                if (!w.shape().equals(expected)) {
                    throw new IllegalArgumentException("weights of " + layer.name() + " are for " + w.shape()
                            + ", the layer is " + expected);
                }
                layers.add(w);
                names.add(layer.name());
            }
        }
        DeviceBuffer all = allocateBytes(device, buffers, weightBytes(layers.stream().map(ConvWeights::shape).toList()));
        Map<String, DeviceWeights> result = new HashMap<>();
        try (Stream stream = device.createStream()) {
            long offset = 0;
            for (int i = 0; i < layers.size(); i++) {
                ConvWeights w = layers.get(i);
                float[] kMajor = w.reductionMajor();
                DeviceMemory wSlice = all.slice(offset, (long) kMajor.length * Float.BYTES);
                offset = align(offset + wSlice.byteSize());
                DeviceMemory bSlice = all.slice(offset, (long) w.bias().length * Float.BYTES);
                offset = align(offset + bSlice.byteSize());
                stream.copyAndWait(wSlice, MemorySegment.ofArray(kMajor));
                stream.copyAndWait(bSlice, MemorySegment.ofArray(w.bias()));
                result.put(names.get(i), new DeviceWeights(wSlice, bSlice));
            }
        }
        return result;
    }

    private static long weightBytes(List<ConvShape> shapes) {
        long bytes = 0;
        for (ConvShape s : shapes) {
            bytes = align(bytes + s.weightCount() * Float.BYTES);
            bytes = align(bytes + (long) s.outChannels() * Float.BYTES);
        }
        return bytes;
    }

    private static long align(long offset) {
        return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /**
     * Device memory a model of {@code network} at {@code batch} allocates: weights, input, logits
     * and the activation slots. For choosing a batch that fits before building.
     */
    public static long deviceBytes(Network network, int batch) {
        Checks.positive("batch", batch);
        List<ConvShape> shapes = new ArrayList<>();
        network.convolutions().forEach(c -> shapes.add(c.shape()));
        network.linearLayers().forEach(fc -> shapes.add(fc.asConv()));
        ActivationPlan activations = ActivationPlan.of(network);
        long perImage = network.input().elementsPerImage() + network.output().elementsPerImage()
                + activations.slots() * activations.slotElementsPerImage();
        return weightBytes(shapes) + (long) batch * perImage * Float.BYTES;
    }

    private static DeviceBuffer allocateFloats(Device device, List<DeviceBuffer> owned, long floats) {
        return allocateBytes(device, owned, floats * Float.BYTES);
    }

    private static DeviceBuffer allocateBytes(Device device, List<DeviceBuffer> owned, long bytes) {
        DeviceBuffer b = device.allocate(bytes);
        owned.add(b);
        return b;
    }

    /** Enqueues one forward pass, input buffer to logits buffer, on {@code queue}; does not wait. */
    public void forward(CommandQueue queue) {
        requireOpen();
        for (KernelLaunch launch : launches) {
            launch.enqueue(queue);
        }
    }

    /**
     * Enqueues one forward pass with the convolutions (and the FC layer, a 1x1 convolution)
     * launched sliced as {@code policy} says ({@link KernelLaunch#enqueue(CommandQueue, SlicePolicy)}):
     * on an XQueue, a suspend then takes effect between slices instead of between layers. The
     * results are the same as {@link #forward(CommandQueue)}'s.
     */
    public void forward(CommandQueue queue, SlicePolicy policy) {
        requireOpen();
        Objects.requireNonNull(policy, "policy");
        for (KernelLaunch launch : launches) {
            launch.enqueue(queue, policy);
        }
    }

    /**
     * Enqueues one forward pass with the convolutions (and the FC layer) launched through their
     * {@linkplain dev.xsched.hip.YieldableKernels yieldable} variants
     * ({@link KernelLaunch#enqueueYieldable}): on an XQueue, a suspend stops the running
     * convolution's blocks at their next check (every 32 K slices) instead of letting them run to
     * the end, and a resume launches it again. The results are the same as {@link #forward(CommandQueue)}'s,
     * bit for bit except where a layer splits its K reduction in {@code forward} ({@link SplitK}:
     * the twins do not), which sums in another order, within TF32's error.
     * With {@linkplain PersistentGrid persistent grids}, a memset of their tile counters comes
     * first: each twin's counter must be zero before its first launch, and the queue's relaunches
     * of a yielded twin must find it as the twin left it.
     */
    public void forwardYieldable(CommandQueue queue) {
        requireOpen();
        if (tileCounters != null) {
            queue.memset(tileCounters, 0);
        }
        for (KernelLaunch launch : launches) {
            launch.enqueueYieldable(queue);
        }
    }

    /** {@link #forward}, then waits for everything on {@code queue}. */
    public void forwardAndWait(CommandQueue queue) {
        forward(queue);
        queue.synchronize();
    }

    /** Copies {@code images}, [batch][3][224][224], to the input buffer and waits. */
    public void uploadInput(CommandQueue queue, float[] images) {
        requireOpen();
        Checks.length("images", images, inputElements());
        queue.copyAndWait(input, MemorySegment.ofArray(images));
    }

    /**
     * Enqueues the copy of {@code images} (native memory, pinned for speed, {@link #inputElements()}
     * floats) to the input buffer; it must stay alive until the copy completes.
     */
    public void uploadInputAsync(CommandQueue queue, MemorySegment images) {
        requireOpen();
        if (images.byteSize() != inputElements() * Float.BYTES) {
            throw new IllegalArgumentException("images must be " + inputElements() * Float.BYTES + " bytes, got "
                    + images.byteSize());
        }
        queue.copy(input, images);
    }

    /** Waits for {@code queue}, then returns the logits, [batch][classes]. */
    public float[] downloadLogits(CommandQueue queue) {
        requireOpen();
        float[] out = new float[Math.toIntExact(logitsElements())];
        queue.copyAndWait(MemorySegment.ofArray(out), logits);
        return out;
    }

    /** Reproducible stand-in images: standard normal values, like normalised pixels. */
    public static float[] randomImages(Network network, int batch, long seed) {
        Checks.positive("batch", batch);
        var random = new SplittableRandom(seed);
        float[] images = new float[Math.toIntExact(batch * network.input().elementsPerImage())];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        return images;
    }

    public DeviceMemory input() {
        return input;
    }

    public DeviceMemory logits() {
        return logits;
    }

    public long inputElements() {
        return batch * network.input().elementsPerImage();
    }

    public long logitsElements() {
        return batch * network.output().elementsPerImage();
    }

    /** The launches of one forward pass, in order. */
    public List<KernelLaunch> launches() {
        return launches;
    }

    /** FLOPs of one forward pass: 2 per multiply-accumulate of the convolutions and the FC layer. */
    public long flopsPerForward() {
        return 2 * network.macsPerImage() * batch;
    }

    /** FLOPs of the convolutions alone (2 per multiply-accumulate). */
    public long convFlopsPerForward() {
        return 2 * network.convMacsPerImage() * batch;
    }

    /** Device memory held by this model. */
    public long deviceBytes() {
        return buffers.stream().mapToLong(DeviceBuffer::byteSize).sum();
    }

    public Network network() {
        return network;
    }

    public int batch() {
        return batch;
    }

    /** The arithmetic of the convolutions and the FC layer. */
    public ConvPrecision precision() {
        return precision;
    }

    public Device device() {
        return device;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("model " + network.name() + " is closed");
        }
    }

    /** Frees the device memory; work enqueued on it must have completed (synchronize first). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            buffers.forEach(DeviceBuffer::close);
        }
    }

    @Override
    public String toString() {
        boolean onMatrixCores = launches.stream().anyMatch(launch -> MatrixCores.isKernel(launch.plan().kernel()));
        return network.name() + " batch " + batch + " " + MatrixCores.describe(precision, onMatrixCores) + " on " + device.name()
                + " (" + launches.size() + " launches, " + deviceBytes() / (1 << 20) + " MiB)";
    }
}
