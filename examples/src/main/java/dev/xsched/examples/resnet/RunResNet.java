package dev.xsched.examples.resnet;

import dev.xsched.hip.Device;
import dev.xsched.hip.Event;
import dev.xsched.hip.Stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs one ResNet back to back on a real GPU and prints milliseconds per iteration and images
 * per second: {@code RunResNet [model (resnet18|resnet50, default resnet50)] [batch (default 64)]
 * [iterations (default 20)] [--precision tf32|fp32] [--layers]}. The precision defaults to the
 * device's ({@link ConvPrecision#defaultFor}: TF32 on NVIDIA sm_80 and newer). Three warm-up
 * passes come first (they absorb module loading and clock ramp-up); the iterations are then
 * enqueued together and timed with two events. {@code --layers} then also times each launch
 * (median of 5 passes, events around each) and prints its TFLOP/s.
 *
 * <p>{@code --compare-yield} then runs the model {@value #YIELD_ROUNDS} rounds of the iterations
 * each three ways, plain, yieldable with a stop flag that never rises, and yieldable through a
 * never-suspended XQueue ({@link YieldOverhead}), and with {@code --layers} each launch plain
 * beside yieldable. {@code --yield-every N} compiles the TF32 yieldable convolutions to check
 * their stop flag every N K slices instead of {@value ResNetKernels#DEFAULT_TF32_YIELD_EVERY}
 * (the system property {@value ResNetKernels#TF32_YIELD_EVERY_PROPERTY}).
 */
public final class RunResNet {
    private static final int WARMUP = 3;
    private static final int LAYER_RUNS = 5;
    static final int YIELD_ROUNDS = 3;
    private static final String USAGE = "usage: RunResNet [resnet18|resnet50] [batch] [iterations] [--precision tf32|fp32] "
            + "[--layers] [--compare-yield] [--yield-every N]";

    /**
     * The parsed command line; {@code precision} null means the device's default, {@code yieldEvery}
     * 0 the kernels' default check interval.
     */
    record Options(ResNetArchitecture architecture, int batch, int iterations, ConvPrecision precision, boolean layers,
                   boolean compareYield, int yieldEvery) {
        Options(ResNetArchitecture architecture, int batch, int iterations, ConvPrecision precision, boolean layers) {
            this(architecture, batch, iterations, precision, layers, false, 0);
        }

        static Options parse(String... args) {
            List<String> positional = new ArrayList<>();
            ConvPrecision precision = null;
            boolean layers = false;
            boolean compareYield = false;
            int yieldEvery = 0;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--precision" -> {
                        if (i + 1 == args.length) {
                            throw new IllegalArgumentException("--precision needs a value (tf32 or fp32)");
                        }
                        precision = ConvPrecision.parse(args[++i]);
                    }
                    case "--layers" -> layers = true;
                    case "--compare-yield" -> compareYield = true;
                    case "--yield-every" -> {
                        if (i + 1 == args.length) {
                            throw new IllegalArgumentException("--yield-every needs a value (K slices between stop-flag checks)");
                        }
                        yieldEvery = ResNetKernels.checkYieldEvery("--yield-every", args[++i]);
                    }
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        positional.add(args[i]);
                    }
                }
            }
            if (positional.size() > 3) {
                throw new IllegalArgumentException("too many arguments: " + positional);
            }
            ResNetArchitecture architecture = ResNetArchitecture.parse(positional.size() > 0 ? positional.get(0) : "resnet50");
            int batch = Checks.positive("batch", positional.size() > 1 ? wholeNumber("batch", positional.get(1)) : 64);
            int iterations = Checks.positive("iterations", positional.size() > 2 ? wholeNumber("iterations", positional.get(2)) : 20);
            return new Options(architecture, batch, iterations, precision, layers, compareYield, yieldEvery);
        }
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        if (options.yieldEvery() > 0) {
            // Read once, when the kernels are first compiled below.
            System.setProperty(ResNetKernels.TF32_YIELD_EVERY_PROPERTY, Integer.toString(options.yieldEvery()));
        }
        Device gpu;
        try {
            gpu = RealGpu.open();
        } catch (IllegalStateException e) {
            System.err.println("RunResNet needs a real GPU: " + e.getMessage());
            System.exit(2);
            return;
        }
        ConvPrecision precision = options.precision() != null ? options.precision() : ConvPrecision.defaultFor(gpu);
        if (!precision.supportedOn(gpu.architecture())) {
            System.err.println("RunResNet: " + precision.label() + " convolutions need NVIDIA sm_80 or newer; this is "
                    + gpu.architecture() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        int batch = options.batch();
        int iterations = options.iterations();
        System.out.printf(Locale.ROOT, "%s batch %d %s on %s (%s)%n", options.architecture().modelName(), batch,
                MatrixCores.describe(precision, gpu), gpu.name(), gpu.architecture());
        ResNet built;
        try {
            built = ResNet.build(gpu, options.architecture(), batch, 1, precision);
        } catch (IllegalArgumentException e) { // a batch the kernels cannot index (TF32: 2^31 floats a tensor)
            System.err.println("RunResNet: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        try (ResNet model = built;
             Stream stream = gpu.createStream();
             Event start = gpu.createEvent();
             Event end = gpu.createEvent()) {
            model.uploadInput(stream, ResNet.randomImages(model.network(), batch, 2));
            for (int i = 0; i < WARMUP; i++) {
                model.forwardAndWait(stream);
            }
            stream.record(start);
            for (int i = 0; i < iterations; i++) {
                model.forward(stream);
            }
            stream.record(end);
            end.synchronize();
            double msPerIteration = end.elapsedMillis(start) / iterations;
            float[] logits = model.downloadLogits(stream);
            boolean finite = true;
            for (float v : logits) {
                finite &= Float.isFinite(v);
            }
            double tflops = model.flopsPerForward() / (msPerIteration * 1e-3) / 1e12;
            System.out.printf(Locale.ROOT, "%.3f ms/iteration, %.2f it/s, %.1f images/s, %.2f TFLOP/s (FP32 peak %s); logits %s%n",
                    msPerIteration, 1000 / msPerIteration, batch / (msPerIteration * 1e-3), tflops, Fp32Peak.of(gpu),
                    finite ? "finite" : "NOT FINITE");
            if (options.layers()) {
                printLayers(gpu, model, stream);
            }
            if (options.compareYield()) {
                System.out.println("TF32 yieldable convolutions check their stop flag every " + ResNetKernels.tf32YieldEvery()
                        + " K slices");
                YieldOverhead.compare(gpu, model, stream, iterations, YIELD_ROUNDS, options.layers(), System.out);
            }
        }
    }

    /** Each launch's median time and, for the convolutions and the FC layer, its TFLOP/s. */
    private static void printLayers(Device gpu, ResNet model, Stream stream) {
        try (LaunchTimer timer = new LaunchTimer(gpu, model, stream)) {
            double[] micros = timer.medianLaunchMicros(LAYER_RUNS);
            List<Layer> layers = model.network().layers();
            double total = 0;
            for (int i = 0; i < micros.length; i++) {
                total += micros[i];
                ConvShape shape = switch (layers.get(i)) {
                    case Layer.Conv c -> c.shape();
                    case Layer.Linear fc -> fc.asConv();
                    default -> null;
                };
                String rate = shape == null ? "" : String.format(Locale.ROOT, "%7.1f TFLOP/s  %s",
                        2.0 * shape.macsPerImage() * model.batch() / (micros[i] * 1e-6) / 1e12, shape);
                System.out.printf(Locale.ROOT, "  %-28s %-26s %9.1f us %s%n", layers.get(i).name(),
                        model.launches().get(i).plan().kernel(), micros[i], rate);
            }
            System.out.printf(Locale.ROOT, "  sum of launches %.3f ms; launches timed %s%n", total / 1000,
                    timer.howTimed(micros.length));
        }
    }

    private static int wholeNumber(String name, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'");
        }
    }

    private RunResNet() {
    }
}
