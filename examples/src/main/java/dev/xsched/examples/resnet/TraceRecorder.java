package dev.xsched.examples.resnet;

import dev.xsched.hip.Device;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.TraceCostModel;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Records the kernel durations of the seed scenario's two workloads on a real GPU: ResNet-18 at
 * batch 1 (the latency-critical requests) and ResNet-50 at a large batch (the batch job), into a
 * CSV the simulated GPU replays ({@link TraceCsv#HEADER}), one row per launch, ResNet-18's
 * launches first, then the yieldable twins of both models' convolutions (launched with a stop
 * flag that never rises: what their checks cost), after {@code #} lines saying where and how it
 * was recorded. Each duration is the median over {@code --runs} passes after {@code --warmup}
 * passes. The convolutions run in
 * {@code --precision} (default: the device's, {@link ConvPrecision#defaultFor}: TF32 on NVIDIA
 * sm_80 and newer, as the demo runs them there), so the trace holds the kernels (names, grids)
 * and durations of that precision; the simulator tells the precision of a trace by its kernel
 * names. Prints a summary: milliseconds per pass and the convolutions' throughput against the
 * device's FP32 peak.
 *
 * <pre>
 * java -p examples/target/lib --enable-native-access=dev.xsched.hip \
 *     -m dev.xsched.examples/dev.xsched.examples.resnet.TraceRecorder [--batch 1024] [--runs 10] [--warmup 3] \
 *     [--precision tf32|fp32] [--out resnet-trace.csv]
 * </pre>
 */
public final class TraceRecorder {
    /** The share of device memory a model may take; the rest is left to the runtime and other work. */
    private static final double MEMORY_SHARE = 0.85;

    /** The parsed command line; {@code precision} null means the device's default. */
    record Options(int batch, int runs, int warmup, Path out, ConvPrecision precision) {
        static Options parse(String[] args) {
            int batch = 1024, runs = 10, warmup = 3;
            Path out = Path.of("resnet-trace.csv");
            ConvPrecision precision = null;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--batch" -> batch = Checks.positive("--batch", parseInt(args[i], value));
                    case "--runs" -> runs = Checks.positive("--runs", parseInt(args[i], value));
                    case "--warmup" -> warmup = Math.max(0, parseInt(args[i], value));
                    case "--out" -> out = Path.of(require(args[i], value));
                    case "--precision" -> precision = ConvPrecision.parse(require(args[i], value));
                    case "-h", "--help" -> throw new IllegalArgumentException("help");
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
                i++;
            }
            // Checked before minutes of GPU work, whose rows would be lost at the write.
            Path folder = out.toAbsolutePath().getParent();
            if (folder == null || !Files.isDirectory(folder) || !Files.isWritable(folder)) {
                throw new IllegalArgumentException("--out " + out + ": " + folder + " is not a writable folder");
            }
            return new Options(batch, runs, warmup, out, precision);
        }
    }

    /** One model's measurements. */
    record ModelTrace(ResNet model, List<PlannedLaunch> launches, double[] launchMicros, double forwardMillis) {
        double convMicros() {
            double sum = 0;
            List<String> convLayers = model.network().convolutions().stream().map(Layer::name).toList();
            for (int i = 0; i < launches.size(); i++) {
                if (convLayers.contains(launches.get(i).layer())) {
                    sum += launchMicros[i];
                }
            }
            return sum;
        }

        double kernelMillis() {
            double sum = 0;
            for (double us : launchMicros) {
                sum += us;
            }
            return sum / 1000;
        }
    }

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println((e.getMessage().equals("help") ? "" : e.getMessage() + "\n")
                    + "usage: TraceRecorder [--batch N (ResNet-50, default 1024)] [--runs N (default 10)]"
                    + " [--warmup N (default 3)] [--precision tf32|fp32 (default: the device's)]"
                    + " [--out FILE (default resnet-trace.csv)]");
            System.exit(2);
            return;
        }
        Device gpu;
        try {
            gpu = RealGpu.open();
        } catch (IllegalStateException e) {
            System.err.println("TraceRecorder needs a real GPU: " + e.getMessage());
            System.exit(2);
            return;
        }
        ConvPrecision precision;
        try {
            precision = options.precision() == null ? ConvPrecision.defaultFor(gpu)
                    : options.precision().requireSupportedOn(gpu.architecture());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (precision == ConvPrecision.FP32 && MatrixCores.usedOn(gpu)) {
            // The simulator plans its FP32 models with the FP32-core kernels and replays durations
            // by kernel name: a trace of the matrix-core kernels would leave them without any.
            System.err.println("TraceRecorder: the simulator replays the FP32-core convolutions, and on " + gpu.architecture()
                    + " they would run on the matrix cores; record with -D" + MatrixCores.PROPERTY + "=false");
            System.exit(2);
            return;
        }
        Fp32Peak peak = Fp32Peak.of(gpu);
        System.out.printf(Locale.ROOT, "device: %s (%s), %d MiB; FP32 peak %s; convolutions in %s%s%n", gpu.name(),
                gpu.architecture(), gpu.totalMemory() >> 20, peak, precision.label(),
                options.precision() == null ? " (the device's default)" : "");

        List<TraceCsv.Row> rows = new ArrayList<>();
        List<TraceCsv.Row> yieldRows = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        List<String> provenance;
        try (Stream stream = gpu.createStream()) {
            summary.add(record(gpu, stream, ResNetArchitecture.RESNET18, 1, precision, options, peak, rows, yieldRows));
            Network resnet50 = ResNetArchitecture.RESNET50.network();
            int batch = fittingBatch(resnet50, options.batch(), gpu.totalMemory());
            if (batch < options.batch()) {
                System.out.printf(Locale.ROOT, "resnet50 batch %d needs %d MiB, more than %.0f%% of the device's memory:"
                                + " using batch %d, the largest that fits%n", options.batch(),
                        ResNet.deviceBytes(resnet50, options.batch()) >> 20, MEMORY_SHARE * 100, batch);
            }
            int indexable = precision == ConvPrecision.TF32 ? tf32Batch(resnet50, batch) : batch;
            if (indexable < batch) {
                System.out.printf(Locale.ROOT, "resnet50 batch %d has tensors over the %d floats the TF32 kernels index:"
                        + " using batch %d%n", batch, ResNetKernels.TF32_MAX_ELEMENTS, indexable);
                batch = indexable;
            }
            summary.add(record(gpu, stream, ResNetArchitecture.RESNET50, batch, precision, options, peak, rows, yieldRows));
            provenance = provenance(gpu, precision, batch, options, Instant.now());
        }
        List<TraceCsv.Row> all = new ArrayList<>(rows);
        all.addAll(yieldRows);
        try (Writer out = Files.newBufferedWriter(options.out(), StandardCharsets.UTF_8)) {
            TraceCsv.write(out, provenance, all);
        }
        System.out.println();
        summary.forEach(System.out::println);
        System.out.println("trace: " + all.size() + " launches (" + rows.size() + " plain, " + yieldRows.size()
                + " yieldable) in " + options.out().toAbsolutePath());
    }

    /** The largest batch up to {@code requested} whose every convolution tensor the TF32 kernels can index. */
    static int tf32Batch(Network network, int requested) {
        long largest = network.convolutions().stream()
                .mapToLong(c -> Math.max(c.shape().inputElements(), c.shape().outputElements())).max().orElse(1);
        return (int) Math.max(1, Math.min(requested, ResNetKernels.TF32_MAX_ELEMENTS / largest));
    }

    /** The largest batch up to {@code requested} whose model fits {@link #MEMORY_SHARE} of the memory. */
    static int fittingBatch(Network network, int requested, long deviceMemory) {
        long budget = (long) (deviceMemory * MEMORY_SHARE);
        long one = ResNet.deviceBytes(network, 1);
        long perImage = ResNet.deviceBytes(network, 2) - one;
        if (one > budget) {
            throw new IllegalStateException(network.name() + " does not fit at batch 1: " + (one >> 20) + " MiB needed");
        }
        long fits = 1 + (budget - one) / perImage;
        return (int) Math.min(requested, fits);
    }

    /**
     * The trace's {@code #} lines: what was recorded where, for whoever reads the file (the
     * simulator skips them; it tells the precision by the kernel names).
     */
    static List<String> provenance(Device gpu, ConvPrecision precision, int resnet50Batch, Options options, Instant when) {
        return List.of(
                String.format(Locale.ROOT, "recorded by dev.xsched.examples.resnet.TraceRecorder on %s (%s, %d compute units) at %s",
                        gpu.name(), gpu.architecture(), gpu.computeUnits(), when.truncatedTo(ChronoUnit.SECONDS)),
                String.format(Locale.ROOT, "convolutions in %s; resnet18 batch 1, then resnet50 batch %d, then the"
                                + " yieldable twins of both (stop flag never raised); kernel_us = median of %d passes"
                                + " after %d warm-up passes",
                        precision.label(), resnet50Batch, options.runs(), options.warmup()));
    }

    /**
     * Measures one model: its plain launches into {@code rows}, then the yieldable twins of its
     * convolutions ({@link NeverRaisedYield}: live control words, a stop flag that never rises)
     * into {@code yieldRows}, so that the simulator replays a yieldable launch with what the
     * yieldable kernel costs (its checks), not with the plain kernel's time.
     */
    private static String record(Device gpu, Stream stream, ResNetArchitecture architecture, int batch,
                                 ConvPrecision precision, Options options, Fp32Peak peak, List<TraceCsv.Row> rows,
                                 List<TraceCsv.Row> yieldRows) {
        System.out.printf(Locale.ROOT, "%s batch %d: building...%n", architecture.modelName(), batch);
        // The simulated demo replays these rows by kernel name, grid and block: it plans the
        // convolutions in the precision whose kernels the trace holds.
        try (ResNet model = ResNet.build(gpu, architecture, batch, 1, precision);
             LaunchTimer timer = new LaunchTimer(gpu, model, stream)) {
            model.uploadInput(stream, ResNet.randomImages(model.network(), batch, 2));
            for (int i = 0; i < options.warmup(); i++) {
                model.forwardAndWait(stream);
            }
            List<PlannedLaunch> launches = model.launches().stream().map(KernelLaunch::plan).toList();
            var trace = new ModelTrace(model, launches, timer.medianLaunchMicros(options.runs()),
                    timer.medianForwardMillis(options.runs()));
            for (int i = 0; i < launches.size(); i++) {
                rows.add(row(model.launches().get(i), trace.launchMicros()[i]));
            }
            double[] yieldMicros;
            try (NeverRaisedYield live = new NeverRaisedYield(gpu, model)) {
                for (int i = 0; i < options.warmup(); i++) {
                    live.forward(model, stream);
                }
                stream.synchronize();
                yieldMicros = timer.medianLaunchMicros(options.runs(), live::enqueue);
            }
            double plainMicros = 0;
            double yieldableMicros = 0;
            for (int i = 0; i < launches.size(); i++) {
                KernelLaunch launch = model.launches().get(i);
                if (launch.yieldKernel() != null) {
                    yieldRows.add(yieldRow(launch, yieldMicros[i]));
                    plainMicros += trace.launchMicros()[i];
                    yieldableMicros += yieldMicros[i];
                }
            }
            stream.synchronize();
            return summarize(trace, peak) + String.format(Locale.ROOT,
                    "%n  yieldable convolutions, stop flag never raised: %.3f ms in kernels, %.1f%% of the plain ones' speed"
                            + "%n  launches timed %s",
                    yieldableMicros / 1000, 100 * plainMicros / yieldableMicros, timer.howTimed(launches.size()));
        }
    }

    /**
     * The trace row of one launch: its integer arguments tell apart layers of one kernel and grid
     * (a 1x1 and a 3x3 convolution); a sliceable kernel's are recorded without the block offset,
     * so that the row serves the plain launch, its slices and its yieldable twin alike.
     */
    static TraceCsv.Row row(KernelLaunch launch, double kernelMicros) {
        PlannedLaunch p = launch.plan();
        return new TraceCsv.Row(p.kernel(), p.grid(), p.block(), kernelMicros,
                TraceCostModel.integerArguments(launch.isSliceable() ? launch.sliceArgs() : launch.args()));
    }

    /**
     * The trace row of a launch's yieldable twin: its kernel, its launch's grid and block (a
     * persistent twin's smaller grid), and the integer arguments it takes (a sliceable kernel's
     * without the block offset).
     *
     * @throws IllegalArgumentException if the launch has no yieldable twin
     */
    static TraceCsv.Row yieldRow(KernelLaunch launch, double kernelMicros) {
        if (launch.yieldKernel() == null) {
            throw new IllegalArgumentException(launch + " has no yieldable variant");
        }
        LaunchConfig c = launch.yieldConfig();
        return new TraceCsv.Row(launch.yieldKernel().name(), c.grid(), c.block(), kernelMicros,
                TraceCostModel.integerArguments(launch.yieldArgs()));
    }

    /**
     * How far the launches' medians may add up past a whole pass before the recorder says their
     * times are not the kernels' own: a pass with events only around it leaves gaps that the sum
     * has not, so the sum is normally at or below it (ResNet-50 b1024: 122.96 against 122.84 ms).
     */
    static final double INFLATED_SUM = 1.10;

    /**
     * A warning when the launches' medians add up to more than {@link #INFLATED_SUM} times a whole
     * pass: each launch's time then holds waits of the GPU between its events (on the H200 on
     * 2026-12-04, ResNet-18's 23 launches of 6-26 us summed to 0.852 ms against a 0.433 ms pass), so
     * its rows would make the simulator's model that much slower than the GPU.
     *
     * @return the warning, or empty when the sum is within the bound
     */
    static Optional<String> inflationWarning(String model, double kernelMillis, double forwardMillis) {
        if (kernelMillis <= INFLATED_SUM * forwardMillis) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "warning: %s's launches add up to %.3f ms, %.1fx its %.3f ms pass: each launch was timed with the GPU"
                        + " waiting between its events, so its rows are slower than its kernels (docs/simulator.md);"
                        + " record again before committing them",
                model, kernelMillis, kernelMillis / forwardMillis, forwardMillis));
    }

    static String summarize(ModelTrace t, Fp32Peak peak) {
        ResNet m = t.model();
        double convTflops = m.convFlopsPerForward() / (t.convMicros() * 1e-6) / 1e12;
        double passTflops = m.flopsPerForward() / (t.forwardMillis() * 1e-3) / 1e12;
        return String.format(Locale.ROOT,
                "%s batch %d: %.3f ms per forward pass (%.3f ms in kernels, %d launches), %.1f images/s;"
                        + " convolutions (%s) %.2f TFLOP/s = %.1f%% of FP32 peak; whole pass %.2f TFLOP/s",
                m.network().name(), m.batch(), t.forwardMillis(), t.kernelMillis(), t.launches().size(),
                m.batch() / (t.forwardMillis() * 1e-3), m.precision().label(), convTflops, 100 * convTflops / peak.tflops(),
                passTflops) + inflationWarning(m.network().name() + " batch " + m.batch(), t.kernelMillis(), t.forwardMillis())
                .map(w -> System.lineSeparator() + "  " + w).orElse("");
    }

    private static int parseInt(String option, String value) {
        try {
            return Integer.parseInt(require(option, value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + value + "'");
        }
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private TraceRecorder() {
    }
}
