package dev.xsched.examples.scenario;

import dev.xsched.examples.resnet.ResNet;
import dev.xsched.examples.resnet.ResNetArchitecture;
import dev.xsched.examples.resnet.SlicePolicy;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.TraceCostModel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenario of the project ({@code xsched demo}): ResNet-18 at batch 1 serving requests at a
 * fixed rate (high priority, open loop) beside ResNet-50 at a large batch running back to back
 * (low priority), under every mode: each model alone, native (two equal streams), native with
 * hardware stream priorities, and scheduled by XSched policies.
 *
 * <p>Without a GPU it runs on the simulated platform, replaying kernel durations recorded on an
 * NVIDIA H200 ({@value #TRACE_RESOURCE}); everything it prints then says so.
 */
public final class ScenarioBenchmark {
    static final String TRACE_RESOURCE = "h200-resnet-trace.csv";
    private static final double MEMORY_HEADROOM = 0.85;

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
                List.of("standalone-hp", "standalone-lp", "native-priority", "xsched-hpf")).withTiming(seconds, warmup), out);
        java.util.Map<String, ModeResult> byMode = new java.util.HashMap<>();
        results.forEach(r -> byMode.put(r.mode(), r));
        return new PriorityFigures(byMode.get("standalone-hp").hp().percentileMillis(99),
                byMode.get("native-priority").hp().percentileMillis(99), byMode.get("xsched-hpf").hp().percentileMillis(99),
                byMode.get("standalone-lp").lpItersPerSec(), byMode.get("native-priority").lpItersPerSec(),
                byMode.get("xsched-hpf").lpItersPerSec());
    }

    private static List<ModeResult> measure(ScenarioOptions options, PrintStream out) throws IOException, InterruptedException {
        HipPlatform platform = Hip.platform();
        String platformNote = "";
        if (platform.isSimulated()) {
            List<String> trace = traceLines();
            platform = simulatedH200(trace);
            platformNote = trace.isEmpty()
                    ? " [SIMULATED: no recorded trace found, every thread block takes the simulator's default duration]"
                    : " [SIMULATED: kernel durations replayed from a trace recorded on an NVIDIA H200]";
        }
        Device device = platform.device(0);
        String platformLine = "platform " + platform.name() + ", device " + device.name() + " (" + device.architecture() + ")"
                + platformNote;
        out.println(platformLine);

        int lpBatch = fittingBatch(device, options.lpBatch(), out);
        out.printf("building ResNet-18 (batch 1) and ResNet-50 (batch %d) with random weights ...%n", lpBatch);
        List<ModeResult> results = new ArrayList<>();
        SlicePolicy slicing = slicePolicy(options.slice(), device);
        out.println("LP convolutions in scheduled modes: " + describe(options.slice(), device));
        try (Model hp = new Model(ResNet.build(device, ResNetArchitecture.RESNET18, 1, 18), SlicePolicy.none(), false);
             Model lp = new Model(ResNet.build(device, ResNetArchitecture.RESNET50, lpBatch, 50), slicing,
                     options.slice().equals("yield"))) {
            if (!platform.isSimulated()) {
                // Real inputs for real kernels; the simulator does not compute, so it skips the upload.
                try (var stream = device.createStream()) {
                    hp.resnet.uploadInput(stream, ResNet.randomImages(hp.resnet.network(), 1, 1));
                    lp.resnet.uploadInput(stream, ResNet.randomImages(lp.resnet.network(), lpBatch, 2));
                }
            }
            ModeRunner runner = new ModeRunner(device, hp, lp, options, out);
            for (String mode : options.modes()) {
                out.println("mode " + mode + ":");
                results.add(runner.run(mode));
            }
        }
        ResultsWriter.table(results, platformLine, out);
        Path json = ResultsWriter.json(results, options, platform.name() + platformNote, device.name(), platform.isSimulated(),
                options.output());
        Path csv = LatencyCsv.write(results, options.output());
        out.println("wrote " + json + " and " + csv);
        drawChart(results, "ResNet-18 latency beside ResNet-50 b" + lpBatch + ", " + device.name()
                + (platform.isSimulated() ? " (simulated)" : ""), options.output(), out);
        return results;
    }

    /** Draws the CDF; a machine without fonts cannot, which must not cost the measured results. */
    static void drawChart(List<ModeResult> results, String title, Path folder, PrintStream out) {
        try {
            out.println("wrote " + CdfChart.write(results, title, folder));
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
        List<ModeResult> results = LatencyCsv.read(folder);
        String title = "ResNet-18 latency beside ResNet-50 (" + folder.toAbsolutePath().getFileName() + ")";
        out.println("wrote " + CdfChart.write(results, title, folder));
    }

    /** Whether {@code folder} holds the latencies of a demo run. */
    public static boolean hasLatencies(Path folder) {
        return java.nio.file.Files.exists(folder.resolve(LatencyCsv.FILE));
    }

    /** The simulated platform shaped like an H200, in real time, with the recorded kernel durations. */
    static SimulatedPlatform simulatedH200(List<String> lines) {
        SimulatedPlatform.Builder builder = SimulatedPlatform.builder().realTime().computeUnits(132).hardwarePriority(true)
                .priorityRange(0, -5);
        if (!lines.isEmpty()) {
            builder.costModel(TraceCostModel.parse(TRACE_RESOURCE, lines, 132, Duration.ofMillis(1)));
        }
        return builder.build();
    }

    private static List<String> traceLines() throws IOException {
        try (InputStream in = ScenarioBenchmark.class.getResourceAsStream(TRACE_RESOURCE)) {
            if (in == null) {
                return List.of();
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return reader.lines().toList();
            }
        }
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
    private record Model(ResNet resnet, SlicePolicy slicing, boolean yieldable) implements InferenceModel {
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
