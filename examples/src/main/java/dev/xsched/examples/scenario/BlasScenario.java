package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.resnet.ResNet;
import dev.xsched.examples.resnet.ResNetArchitecture;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.blas.Blas;
import dev.xsched.hip.blas.BlasAvailability;
import dev.xsched.hip.blas.ComputeType;
import dev.xsched.hip.blas.DataType;
import dev.xsched.hip.blas.Transpose;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code xsched example blas}: a batch job of large TF32 GEMMs through cuBLAS (low priority, back
 * to back) beside the online ResNet-18 (batch 1, high priority, a fixed request rate, open loop), in
 * the modes native, native-priority and xsched-hpf, each against its standalone figures.
 *
 * <p>The GEMMs are closed vendor kernels: XSched cannot slice them or make them yield. What it does
 * is gate them, so at most {@code --threshold} of them are in flight when a request arrives, and
 * put the online queue on the device's highest stream priority, so its blocks are dispatched first
 * as the GEMM's (short) thread blocks drain. See {@code docs/libraries.md}.
 *
 * <p>{@code --panels P} (scheduled modes only) issues each GEMM as P column panels, C[:, j0:j1] =
 * A B[:, j0:j1], each its own gated call, so the XQueue can also stop between panels: preemption at
 * the call level, for library kernels that cannot be sliced inside. An HP request then waits for
 * at most {@code --threshold} panels already released (less with hardware priority, whose blocks
 * overtake a released panel's blocks that have not started). {@code --panels} and
 * {@code --threshold} take lists: the scheduled modes run once per combination, beside one run of
 * each standalone and native mode, so a sweep shares its baselines. {@code --split k} cuts the
 * inner dimension instead (depth panels, C += A[:, l0:l1] B[l0:l1, :]): each panel's thread blocks
 * are then P times shorter, so an online kernel waits less for an SM beside a panel running.
 *
 * <p>{@code --online gemm:N} replaces ResNet-18 by one N x N x N FP32 GEMM per request: for machines
 * whose driver runs no hand-written kernels (the fake CUDA driver of the tests).
 */
public final class BlasScenario {

    private BlasScenario() {
    }

    /** Runs the modes on device 0 of {@code platform}; 2 (after saying why) where it has no BLAS library. */
    public static int run(Options options, HipPlatform platform, PrintStream out) throws InterruptedException {
        BlasAvailability blas = Blas.probe(platform.name());
        if (!blas.available()) {
            out.println("xsched example blas needs a BLAS library, and platform " + platform.name() + " has none usable: "
                    + blas.summary());
            return 2;
        }
        Device device = platform.device(0);
        out.println("platform " + platform.name() + ", device " + device.name() + ", " + blas.summary());
        ScenarioOptions scenario = options.scenario();
        List<ModeResult> results = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<RequestBreakdown.Row> breakdown = new ArrayList<>();
        try (Blas library = Blas.open(device);
             GemmJob lp = new GemmJob(library, device, options.size(), ComputeType.TF32);
             InferenceModel hp = online(options.online(), library, device)) {
            out.printf(Locale.ROOT, "batch job: TF32 GEMM %d^3 (%.1f GFLOP per call%s); online: %s%n", options.size(),
                    lp.flops() / 1e9, options.describeSettings(), hp.name());
            ModeRunner plain = new ModeRunner(device, hp, lp, scenario, out);
            for (Mode mode : scenario.modes()) {
                // Panels and the threshold only matter to a scheduled queue: the other modes run once.
                List<Setting> settings = mode instanceof Mode.Scheduled ? options.settings() : List.of(Setting.WHOLE);
                for (Setting setting : settings) {
                    String label = options.settings().size() > 1 && mode instanceof Mode.Scheduled
                            ? mode + " " + setting : mode.toString();
                    if (mode instanceof Mode.Scheduled && options.split() == Split.DEPTH && setting.panels() > 1) {
                        label += " split-k"; // depth panels: shorter thread blocks, C accumulated
                    }
                    if (mode instanceof Mode.Scheduled && scenario.deviceGate()) {
                        label += " gated"; // the batch queue's released calls wait on the device behind its stop flag
                    }
                    out.println("mode " + label + ":");
                    ModeRunner runner = mode instanceof Mode.Scheduled
                            ? new ModeRunner(device, hp, lp.inPanels(setting.panels(), options.split()),
                                    scenario.withThreshold(setting.threshold()), out)
                            : plain;
                    int before = runner.breakdown().size(); // the plain runner keeps every mode's rows
                    results.add(runner.run(mode));
                    labels.add(label);
                    String rowLabel = label;
                    runner.breakdown().stream().skip(before).map(r -> r.withMode(rowLabel)).forEach(breakdown::add);
                }
            }
            table(results, labels, lp.flops(), out);
            // Where each online request's time went, as the demo prints it: the batch job's GEMMs
            // cannot yield, so what a gated mode adds shows as wait for the GPU and GPU span.
            out.println();
            BreakdownSummary.print(breakdown, out);
        }
        return 0;
    }

    private static InferenceModel online(String online, Blas library, Device device) {
        if (online.equals("resnet18")) {
            ResNet resnet = ResNet.build(device, ResNetArchitecture.RESNET18, 1, 18);
            try (var stream = device.createStream()) {
                resnet.uploadInput(stream, ResNet.randomImages(resnet.network(), 1, 1));
            }
            return new OnlineResNet(resnet);
        }
        return new GemmJob(library, device, Integer.parseInt(online.substring("gemm:".length())), ComputeType.FP32);
    }

    /** Per mode: the online P99 against standalone, and the batch job's GEMM rate against standalone. */
    static void table(List<ModeResult> results, List<String> labels, double flopsPerGemm, PrintStream out) {
        Map<Mode, ModeResult> byMode = new HashMap<>();
        results.forEach(r -> byMode.put(r.mode(), r));
        ModeResult hpAlone = byMode.get(Mode.STANDALONE_HP);
        ModeResult lpAlone = byMode.get(Mode.STANDALONE_LP);
        out.println();
        int width = Math.max(16, labels.stream().mapToInt(String::length).max().orElse(0));
        String row = "%-" + width + "s %9s %9s %11s %10s %9s %11s%n";
        out.printf(Locale.ROOT, row, "mode", "HP p50", "HP p99", "p99/alone", "GEMM/s",
                "TFLOP/s", "LP/alone");
        for (int i = 0; i < results.size(); i++) {
            ModeResult r = results.get(i);
            String ratio = r.hasHp() && hpAlone != null && hpAlone.hasHp()
                    ? String.format(Locale.ROOT, "%.2fx", r.hp().percentileMillis(99) / hpAlone.hp().percentileMillis(99)) : "-";
            String share = r.hasLp() && lpAlone != null && lpAlone.hasLp()
                    ? String.format(Locale.ROOT, "%.0f%%", 100 * r.lpItersPerSec() / lpAlone.lpItersPerSec()) : "-";
            out.printf(Locale.ROOT, row, labels.get(i),
                    r.hasHp() ? String.format(Locale.ROOT, "%.2f", r.hp().percentileMillis(50)) : "-",
                    r.hasHp() ? String.format(Locale.ROOT, "%.2f", r.hp().percentileMillis(99)) : "-", ratio,
                    r.hasLp() ? String.format(Locale.ROOT, "%.2f", r.lpItersPerSec()) : "-",
                    r.hasLp() ? String.format(Locale.ROOT, "%.1f", r.lpItersPerSec() * flopsPerGemm / 1e12) : "-", share);
        }
        out.println("(HP latencies in ms from each request's scheduled arrival; goal of issue 14 for xsched-hpf: "
                + "p99/alone <= 1.2x with LP/alone >= 95%)");
    }

    /**
     * One GEMM C = A B per call, on buffers of its own filled with random values; whole in
     * {@link #forward} and {@link #forwardPreemptible} (see {@link #inPanels} for the panels).
     */
    static final class GemmJob implements InferenceModel {
        private final Blas blas;
        private final int n;
        private final ComputeType compute;
        private final DeviceBuffer a;
        private final DeviceBuffer b;
        private final DeviceBuffer c;

        GemmJob(Blas blas, Device device, int n, ComputeType compute) {
            if (n < 1) {
                throw new IllegalArgumentException("GEMM size must be >= 1, got " + n);
            }
            this.blas = blas;
            this.n = n;
            this.compute = compute;
            long bytes = 4L * n * n;
            this.a = device.allocate(bytes);
            this.b = device.allocate(bytes);
            this.c = device.allocate(bytes);
            // Uniform [-1, 1), as in bench gemm: a GEMM of zeros draws less power, so it would run unlike a real one.
            float[] host = new float[n * n];
            java.util.SplittableRandom random = new java.util.SplittableRandom(n);
            try (var stream = device.createStream()) {
                for (DeviceBuffer matrix : List.of(a, b)) {
                    for (int i = 0; i < host.length; i++) {
                        host[i] = (float) (random.nextDouble() * 2 - 1);
                    }
                    stream.copyAndWait(matrix, MemorySegment.ofArray(host));
                }
            }
        }

        double flops() {
            return 2.0 * n * n * n;
        }

        /** Sets A and B (column-major, n x n), waiting for the copies. */
        void upload(CommandQueue queue, float[] aValues, float[] bValues) {
            queue.copyAndWait(a, MemorySegment.ofArray(aValues));
            queue.copyAndWait(b, MemorySegment.ofArray(bValues));
        }

        /** C, once everything on {@code queue} has completed. */
        float[] result(CommandQueue queue) {
            float[] out = new float[n * n];
            queue.copyAndWait(MemorySegment.ofArray(out), c);
            return out;
        }

        /** The buffer holding C. */
        DeviceBuffer resultBuffer() {
            return c;
        }

        void clearResult(CommandQueue queue) {
            queue.memset(c, 0);
            queue.synchronize();
        }

        @Override
        public String name() {
            return compute + " GEMM " + n + "^3";
        }

        @Override
        public int batch() {
            return 1;
        }

        @Override
        public void forward(CommandQueue queue) {
            panel(queue, 0, n);
        }

        /**
         * This job, with {@link #forwardPreemptible} issuing each product as {@code panels} panels
         * split as {@code split} says (a view: it shares the buffers and closes nothing).
         */
        InferenceModel inPanels(int panels, Split split) {
            if (panels < 1 || panels > n) {
                throw new IllegalArgumentException("panels must be in 1.." + n + ", got " + panels);
            }
            java.util.Objects.requireNonNull(split, "split");
            GemmJob job = this;
            return new InferenceModel() {
                @Override
                public String name() {
                    return job.name() + " in " + panels + " " + split.description + " panels";
                }

                @Override
                public int batch() {
                    return 1;
                }

                @Override
                public void forward(CommandQueue queue) {
                    job.forward(queue);
                }

                @Override
                public void forwardPreemptible(CommandQueue queue) {
                    job.forwardPanels(queue, panels, split);
                }

                @Override
                public void close() {
                    // a view: the job owns the buffers
                }
            };
        }

        /** The same product in {@code panels} calls, split as {@code split} says (column-major). */
        void forwardPanels(CommandQueue queue, int panels, Split split) {
            for (int p = 0; p < panels; p++) {
                int from = (int) ((long) n * p / panels), to = (int) ((long) n * (p + 1) / panels);
                if (split == Split.COLUMNS) {
                    panel(queue, from, to);
                } else {
                    depthPanel(queue, from, to, p > 0);
                }
            }
        }

        /**
         * C (+)= A[:, l0:l1] B[l0:l1, :]: the whole output from a slice of the inner dimension,
         * added to C unless it is the first. A[:, l0:l1] is columns l0 to l1 (contiguous); B[l0:l1, :]
         * is rows l0 to l1, starting at element l0 with B's leading dimension n.
         */
        private void depthPanel(CommandQueue queue, int from, int to, boolean accumulate) {
            int depth = to - from;
            blas.gemmEx(queue, Transpose.N, Transpose.N, n, n, depth, 1f,
                    a.slice(4L * n * from, 4L * n * depth), DataType.FP32, n,
                    b.slice(4L * from, 4L * ((long) n * (n - 1) + depth)), DataType.FP32, n,
                    accumulate ? 1f : 0f, c, DataType.FP32, n, compute);
        }

        private void panel(CommandQueue queue, int from, int to) {
            long offset = 4L * n * from, length = 4L * n * (to - from);
            blas.gemmEx(queue, Transpose.N, Transpose.N, n, to - from, n, 1f, a, DataType.FP32, n, b.slice(offset, length),
                    DataType.FP32, n, 0f, c.slice(offset, length), DataType.FP32, n, compute);
        }

        @Override
        public void close() {
            a.close();
            b.close();
            c.close();
        }
    }

    private record OnlineResNet(ResNet resnet) implements InferenceModel {
        @Override
        public String name() {
            return "ResNet-18 (batch 1)";
        }

        @Override
        public int batch() {
            return 1;
        }

        @Override
        public void forward(CommandQueue queue) {
            resnet.forward(queue);
        }

        @Override
        public void close() {
            resnet.close();
        }
    }

    /**
     * How a scheduled mode issues the batch job: each GEMM as {@code panels} column-panel calls, at
     * most {@code threshold} calls in flight on its XQueue.
     */
    public record Setting(int panels, int threshold) {
        static final Setting WHOLE = new Setting(1, Options.DEFAULT_THRESHOLD);

        public Setting {
            if (panels < 1 || threshold < 1) {
                throw new IllegalArgumentException("--panels and --threshold must be >= 1, got " + panels + " and " + threshold);
            }
        }

        @Override
        public String toString() {
            return "p" + panels + " t" + threshold;
        }
    }

    /**
     * How a GEMM C = A B is cut into panels. Either way each panel is one gated call, so the
     * XQueue can stop between panels; what differs is how long each of its thread blocks runs,
     * which is how long an online kernel may wait for an SM beside a panel already running
     * (cuBLAS's kernels cannot yield).
     */
    public enum Split {
        /** Column panels, C[:, j0:j1] = A B[:, j0:j1]: each block still runs the whole inner loop (n). */
        COLUMNS("column", "n"),
        /**
         * Depth panels, C += A[:, l0:l1] B[l0:l1, :] (the first with beta 0): each block runs 1/P of
         * the inner loop, so its blocks are P times shorter, for one more read and write of C per
         * panel.
         */
        DEPTH("depth", "k");

        final String description;
        /** The option's value: the GEMM dimension split. */
        public final String option;

        Split(String description, String option) {
            this.description = description;
            this.option = option;
        }

        /** {@code n} or {@code k}. */
        public static Split parse(String option) {
            for (Split split : values()) {
                if (split.option.equals(option)) {
                    return split;
                }
            }
            throw new IllegalArgumentException("--split takes n (column panels) or k (depth panels), got '" + option + "'");
        }
    }

    /**
     * The options of {@code xsched example blas}.
     *
     * @param size     the batch job's GEMM size, N x N x N
     * @param online   {@code resnet18}, or {@code gemm:N} for one N^3 FP32 GEMM per request
     * @param settings scheduled modes: run once per setting (panels per GEMM, the batch XQueue's threshold)
     * @param split    how the panels cut each GEMM
     * @param scenario rate, durations and modes, as for {@code xsched demo}
     */
    public record Options(int size, String online, List<Setting> settings, Split split, ScenarioOptions scenario) {
        public static final int DEFAULT_SIZE = 8192;
        public static final int DEFAULT_THRESHOLD = 1;
        public static final int DEFAULT_PANELS = 1;
        public static final double DEFAULT_SECONDS = 20;
        public static final double DEFAULT_WARMUP = 2;

        public Options {
            java.util.Objects.requireNonNull(split, "split");
            if (size < 1) {
                throw new IllegalArgumentException("--size must be >= 1, got " + size);
            }
            settings = List.copyOf(settings);
            if (settings.isEmpty()) {
                throw new IllegalArgumentException("--panels and --threshold name no setting");
            }
            for (Setting setting : settings) {
                if (setting.panels() > size) {
                    throw new IllegalArgumentException("--panels " + setting.panels() + " exceeds --size " + size);
                }
            }
            if (!online.equals("resnet18") && !online.matches("gemm:[1-9][0-9]*")) {
                throw new IllegalArgumentException("--online takes resnet18 or gemm:N, got '" + online + "'");
            }
        }

        /** Every combination of {@code panels} and {@code thresholds}, panels outermost, in the order given. */
        public static List<Setting> settings(List<Integer> panels, List<Integer> thresholds) {
            List<Setting> all = new ArrayList<>();
            for (int p : panels) {
                for (int t : thresholds) {
                    all.add(new Setting(p, t));
                }
            }
            return all;
        }

        /** For the header line: the settings of the scheduled modes, unless it is the one default. */
        String describeSettings() {
            if (settings.equals(List.of(Setting.WHOLE))) {
                return "";
            }
            String panels = split.description + " panels";
            if (settings.size() == 1) {
                Setting only = settings.getFirst();
                return (only.panels() > 1 ? ", " + only.panels() + " " + panels : "") + ", threshold " + only.threshold()
                        + " in scheduled modes";
            }
            return ", scheduled modes at " + settings.stream().map(Setting::toString).toList()
                    + " (pN: N " + panels + " per GEMM, tN: N calls in flight)";
        }

        /** The scenario's options for this example: one GEMM per LP iteration, no output folder of its own. */
        public static ScenarioOptions scenario(double rate, double seconds, double warmup, List<Mode> modes) {
            return new ScenarioOptions(rate, 1, seconds, warmup, modes, DEFAULT_THRESHOLD, 1, true, "off", Path.of("."));
        }
    }
}
