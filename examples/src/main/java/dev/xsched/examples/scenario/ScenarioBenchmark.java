package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.HostCpu;
import dev.xsched.examples.bench.JvmCollector;
import dev.xsched.examples.bench.Mode;

import dev.xsched.examples.resnet.ConvPrecision;
import dev.xsched.examples.resnet.MatrixCores;
import dev.xsched.examples.resnet.ResNet;
import dev.xsched.examples.resnet.ResNetArchitecture;
import dev.xsched.examples.resnet.SlicePolicy;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scenario of the project ({@code xsched demo}): ResNet-18 at batch 1 serving requests at a
 * fixed rate (high priority, open loop) beside ResNet-50 at a large batch running back to back
 * (low priority), under every mode: each model alone, native (two equal streams), native with
 * hardware stream priorities, and scheduled by XSched policies.
 *
 * <p>Without a GPU it runs on the simulated platform, replaying kernel durations recorded on an
 * NVIDIA H200 ({@link RecordedTrace}: the trace of the precision asked for, by default TF32's when
 * recorded, else FP32's), with the convolutions in the trace's precision; everything it prints
 * then says so.
 */
public final class ScenarioBenchmark {
    private static final Mode HPF = Mode.xsched("hpf");
    private static final double MEMORY_HEADROOM = 0.85;
    /** The H200's SMs: the simulated device's compute units, one block slot each, as the traces' block times assume. */
    static final int H200_SMS = 132;
    /**
     * The simulated H200's gap between a kernel reaching the head of its stream and its first
     * block: 1 / the back-to-back launch rate of an empty kernel measured on the H200 (C through
     * the driver API, 257,014 launches/s, docs/gpu-validation.md). What it models: a stream's next
     * kernel does not start in the instant its predecessor ends, so the SMs the predecessor frees
     * go first to the blocks of other streams already waiting, as the block scheduler of the GPU
     * hands them out. Without it the simulator let each HP kernel inherit its predecessor's SMs,
     * where the H200 made each of ResNet-18's kernels wait for LP blocks again (docs/results.md:
     * native-priority P99 2.29x standalone with the FP32 kernels). The figures hardly depend on
     * the value once it is above zero; it adds 23 x 3.9 us to a ResNet-18 pass.
     */
    static final Duration H200_LAUNCH_GAP = Duration.ofNanos(3_900);

    private ScenarioBenchmark() {
    }

    /** Runs every mode of {@code options} and writes the results to {@code options.output()}. */
    public static void run(ScenarioOptions options, PrintStream out) throws IOException, InterruptedException {
        measure(options, out);
    }

    /**
     * The figures of the priority benchmark of {@code xsched bench policies}: the scenario in the
     * modes standalone-hp, standalone-lp, native-priority and xsched-hpf.
     */
    public record PriorityFigures(double hpP99Standalone, double hpP99NativePriority, double hpP99Hpf,
                                  double lpStandalone, double lpNativePriority, double lpHpf) {
    }

    public static PriorityFigures priorityBenchmark(double seconds, double warmup, Path output, PrintStream out)
            throws IOException, InterruptedException {
        List<ModeResult> results = measure(ScenarioOptions.defaults(output).withModes(
                List.of(Mode.STANDALONE_HP, Mode.STANDALONE_LP, Mode.NATIVE_PRIORITY, HPF)).withTiming(seconds, warmup), out);
        java.util.Map<Mode, ModeResult> byMode = new java.util.HashMap<>();
        results.forEach(r -> byMode.put(r.mode(), r));
        return new PriorityFigures(byMode.get(Mode.STANDALONE_HP).hp().percentileMillis(99),
                byMode.get(Mode.NATIVE_PRIORITY).hp().percentileMillis(99), byMode.get(HPF).hp().percentileMillis(99),
                byMode.get(Mode.STANDALONE_LP).lpItersPerSec(), byMode.get(Mode.NATIVE_PRIORITY).lpItersPerSec(),
                byMode.get(HPF).lpItersPerSec());
    }

    private static List<ModeResult> measure(ScenarioOptions options, PrintStream out) throws IOException, InterruptedException {
        boolean stopOnReady = StopOnReady.enabled(); // read once: the modes and results.json say the same
        // As each scheduler reads it (its default), read before the modes so that a bad setting fails first.
        SchedulerSpin schedulerSpin = SchedulerSpin.fromEnvironment();
        HipPlatform platform = Hip.platformOrSimulator();
        String platformNote = "";
        String simulation = null;
        Optional<RecordedTrace> trace = Optional.empty();
        if (platform.isSimulated()) {
            trace = RecordedTrace.choose(options.precision());
            platform = simulatedH200(trace);
            platformNote = trace.map(t -> " [SIMULATED: kernel durations replayed from a trace of the " + t.precision().label()
                            + " kernels recorded on an NVIDIA H200]")
                    .orElse(" [SIMULATED: no recorded trace found, every thread block takes the simulator's default duration]");
            simulation = simulation(trace);
        }
        Device device = platform.device(0);
        String platformLine = "platform " + platform.name() + ", device " + device.name() + " (" + device.architecture() + ")"
                + platformNote;
        out.println(platformLine);
        out.println("host: " + HostCpu.now().describe("so far"));
        out.println("jvm: " + JvmCollector.describe());

        int lpBatch = fittingBatch(device, options.lpBatch(), out);
        out.printf("building ResNet-18 (batch 1) and ResNet-50 (batch %d) with random weights ...%n", lpBatch);
        List<ModeResult> results = new ArrayList<>();
        SlicePolicy slicing = slicePolicy(options.slice(), device);
        out.println("LP convolutions in scheduled modes: " + describe(options.slice(), device));
        List<RequestBreakdown.Row> breakdown = new ArrayList<>();
        Exception failure = null; // a mode's, thrown once the modes before it are written
        // On the simulator the device's default is the replayed trace's precision (ConvPrecision.defaultFor).
        ConvPrecision precision = options.precision() != null ? options.precision() : ConvPrecision.defaultFor(device);
        out.println("convolutions in " + MatrixCores.describe(precision, device) + (options.precision() != null ? ""
                : trace.map(t -> " (" + t.defaultNote() + ")").orElse(" (the device's default)")));
        // The online model never launches yieldable kernels, so persistent grids are the batch model's only.
        try (Model hp = new Model(ResNet.build(device, ResNetArchitecture.RESNET18, 1, 18, precision, false), SlicePolicy.none(),
                false);
             Model lp = new Model(ResNet.build(device, ResNetArchitecture.RESNET50, lpBatch, 50, precision,
                     options.persistentGrids()), slicing, options.slice().equals("yield"))) {
            if (!platform.isSimulated()) {
                // Real inputs for real kernels; the simulator does not compute, so it skips the upload.
                try (var stream = device.createStream()) {
                    hp.resnet.uploadInput(stream, ResNet.randomImages(hp.resnet.network(), 1, 1));
                    lp.resnet.uploadInput(stream, ResNet.randomImages(lp.resnet.network(), lpBatch, 2));
                }
            }
            ModeRunner runner = new ModeRunner(device, hp, lp, options, out, () -> SocketTraffic.NONE, stopOnReady);
            try {
                for (Mode mode : options.modes()) {
                    out.println("mode " + mode + ":");
                    if (mode instanceof Mode.Scheduled) {
                        out.println("  " + options.tuning().note(platform.isSimulated()));
                        if (schedulerSpin.on()) {
                            out.println("  " + schedulerSpin.note());
                        }
                    }
                    HostCpu before = HostCpu.now();
                    results.add(runner.run(mode));
                    // A container out of its CPU quota stops every thread until the next period: the
                    // HP requests of the mode are then late by milliseconds for the host's reason.
                    out.println("  host: " + HostCpu.now().since(before).throttling("during this mode"));
                }
            } catch (RuntimeException | InterruptedException e) {
                // Minutes of GPU time went into the modes before: they are written, then this is thrown.
                failure = e;
            }
            breakdown.addAll(PartialRun.rowsOf(results, runner.breakdown()));
        }
        if (failure != null) {
            if (results.isEmpty()) {
                throw PartialRun.rethrown(failure);
            }
            out.println(PartialRun.note(failure, results));
        }
        ResultsWriter.table(results, platformLine, out);
        if (simulation != null) {
            out.println();
            out.println("what was simulated: " + simulation);
        }
        out.println();
        Path folder = options.output();
        out.println("wrote " + ResultsWriter.json(results, options, platform.name() + platformNote, device.name(),
                platform.isSimulated(), simulation, stopOnReady, schedulerSpin, folder));
        out.println("wrote " + LatencyCsv.write(results, folder) + " (every HP latency) and " + LatencyLog.write(results, folder));
        out.println("wrote " + RequestBreakdown.write(breakdown, folder) + " (where each HP request's time went)");
        BreakdownSummary.print(breakdown, out);
        drawChart(results, heading(device.name(), lpBatch, options.rate(), platform.isSimulated()), folder, out);
        if (failure != null) {
            throw PartialRun.rethrown(failure);
        }
        return results;
    }

    /** What the simulated run modelled and what it did not, printed and written to results.json. */
    static String simulation(Optional<RecordedTrace> trace) {
        return "no GPU was found, so the simulated platform ran the kernels: "
                + trace.map(t -> "each thread block lasted the duration recorded for its kernel (" + t.precision().label()
                        + " convolutions) on an NVIDIA H200 (" + t.resource() + ")")
                .orElse("every thread block took the simulator's default duration (no recorded trace found)")
                + ", in real time, on a device of 132 compute units with hardware stream priorities and a 3.9 us gap "
                + "between consecutive kernels of a stream; it models launch gating, sliced launches and cooperative yield "
                + "(a yieldable kernel's blocks stop at their next check when the scheduler suspends its queue, and run whole "
                + "again when relaunched), not the "
                + "GPU's memory system or its contention (kernels sharing an SM run at their recorded speed); the host side "
                + "(launches, synchronization, the scheduler) ran for real on this machine. Run on a GPU for GPU figures.";
    }

    static CdfChart.Heading heading(String device, int lpBatch, double rate, boolean simulated) {
        return new CdfChart.Heading(String.format(java.util.Locale.ROOT,
                "ResNet-18 latency at %.0f req/s beside ResNet-50 (batch %d)", rate, lpBatch),
                device + (simulated ? ": simulated, kernel durations replayed from an NVIDIA H200 trace" : ""));
    }

    /** Draws the chart; a machine without fonts cannot, which must not cost the measured results. */
    static void drawChart(List<ModeResult> results, CdfChart.Heading heading, Path folder, PrintStream out) {
        try {
            out.println("wrote " + CdfChart.write(results, heading, folder));
        } catch (IOException | RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vme) {
                throw vme;
            }
            out.println("could not draw the chart here (" + e.getMessage() + "); draw it on a machine with fonts: "
                    + "xsched chart " + folder);
        }
    }

    /** {@code xsched chart DIR}: draws DIR/latency-cdf.png from DIR/hp-latencies.csv. */
    public static void chart(Path folder, PrintStream out) throws IOException {
        List<ModeResult> latencies = LatencyCsv.read(folder);
        var report = ResultsWriter.read(folder);
        CdfChart.Heading heading = report.map(r -> heading(r.device(), r.options().lpBatch(), r.options().rate(), r.simulated()))
                .orElse(new CdfChart.Heading("ResNet-18 latency beside ResNet-50 (" + folder.toAbsolutePath().getFileName() + ")",
                        null));
        out.println("wrote " + CdfChart.write(report.map(r -> withThroughput(latencies, r)).orElse(latencies), heading, folder));
    }

    /** The latencies read from the CSV with the batch job's figures from results.json, in the JSON's order of modes. */
    private static List<ModeResult> withThroughput(List<ModeResult> latencies, ResultsWriter.Report report) {
        List<ModeResult> merged = new ArrayList<>();
        for (ResultsWriter.Report.Run run : report.runs()) {
            Mode mode = Mode.parse(run.mode());
            ModeResult hp = Comparison.find(latencies, mode).orElse(null);
            Latencies l = hp == null ? new Latencies() : hp.hp();
            var lp = run.lp();
            merged.add(new ModeResult(mode, l, l.count(), 0, lp == null ? 0 : lp.iterations(),
                    lp == null ? 0 : lp.iterPerS(), lp == null ? 0 : lp.imagesPerS(), report.options().durationS(), 0));
        }
        return merged;
    }

    /** Whether {@code folder} holds the latencies of a demo run. */
    public static boolean hasLatencies(Path folder) {
        return java.nio.file.Files.exists(folder.resolve(LatencyCsv.FILE));
    }

    /** The simulated platform shaped like an H200, in real time, with the recorded kernel durations. */
    static SimulatedPlatform simulatedH200(Optional<RecordedTrace> trace) {
        return simulatedH200Builder(trace).realTime().build();
    }

    /** {@link #simulatedH200} before the choice of clock (tests take virtual time). */
    static SimulatedPlatform.Builder simulatedH200Builder(Optional<RecordedTrace> trace) {
        SimulatedPlatform.Builder builder = SimulatedPlatform.builder().computeUnits(H200_SMS).hardwarePriority(true)
                .priorityRange(0, -5).commandLatency(H200_LAUNCH_GAP)
                // The yieldable ResNet convolutions redo a stopped tile from scratch (resnet_kernels.hip,
                // conv_tf32.hip): a relaunch runs a stopped block whole again.
                .stoppedBlocksRestart(true);
        trace.ifPresent(t -> builder.costModel(t.costModel(H200_SMS)));
        return builder;
    }

    /** The largest batch up to {@code wanted} whose models fit in the device's memory, said so when smaller. */
    static int fittingBatch(Device device, int wanted, PrintStream out) {
        long budget = (long) (device.totalMemory() * MEMORY_HEADROOM)
                - ResNet.deviceBytes(ResNetArchitecture.RESNET18.network(), 1);
        int batch = wanted;
        while (batch > 1 && ResNet.deviceBytes(ResNetArchitecture.RESNET50.network(), batch) > budget) {
            batch /= 2;
        }
        if (batch != wanted) {
            out.printf("ResNet-50 at batch %d does not fit in %.1f GiB; using batch %d, the largest power-of-two step that fits%n",
                    wanted, device.totalMemory() / (1024.0 * 1024 * 1024), batch);
        }
        return batch;
    }

    static SlicePolicy slicePolicy(String slice, Device device) {
        return switch (slice) {
            case "off", "yield" -> SlicePolicy.none();
            case "auto" -> SlicePolicy.blocks(2 * device.computeUnits());
            default -> SlicePolicy.blocks(Integer.parseInt(slice));
        };
    }

    private static String describe(String slice, Device device) {
        return switch (slice) {
            case "off" -> "unsliced";
            case "yield" -> "whole, yieldable (cooperative yield: on a suspend their blocks stop at the next check)";
            case "auto" -> "sliced, " + 2 * device.computeUnits() + " blocks per slice (2 x compute units)";
            default -> "sliced, " + slice + " blocks per slice";
        };
    }

    /** Adapts the ResNet engine to the benchmark. */
    record Model(ResNet resnet, SlicePolicy slicing, boolean yieldable) implements InferenceModel {
        @Override
        public String name() {
            return resnet.toString();
        }

        @Override
        public int batch() {
            return resnet.batch();
        }

        @Override
        public void forward(CommandQueue queue) {
            resnet.forward(queue);
        }

        @Override
        public void forwardPreemptible(CommandQueue queue) {
            if (yieldable) {
                resnet.forwardYieldable(queue);
            } else {
                resnet.forward(queue, slicing);
            }
        }

        @Override
        public void close() {
            resnet.close();
        }
    }
}
