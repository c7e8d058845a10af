package dev.xsched.examples.resnet;

import dev.xsched.hip.Dim3;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.TraceCostModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of the trace recorder that need no GPU: the file format, batch fitting, arguments, the peak. */
class TraceRecorderTest {
    @Test
    void theCsvHasTheReplayHeaderAndOneLinePerLaunch() throws IOException {
        var out = new StringWriter();
        TraceCsv.write(out, List.of(
                new TraceCsv.Row("conv2d_igemm_64x64", Dim3.of(196, 1), Dim3.of(256), 12.3456),
                new TraceCsv.Row("max_pool2d", Dim3.of(784), Dim3.of(256), 3)));
        assertThat(out.toString()).isEqualTo("""
                kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,kernel_us,int_args
                conv2d_igemm_64x64,196,1,1,256,1,1,12.346,
                max_pool2d,784,1,1,256,1,1,3.000,
                """);
    }

    @Test
    void theProvenanceCommentsComeBeforeTheHeaderAndTheSimulatorsReaderSkipsThem() throws IOException {
        var out = new StringWriter();
        List<TraceCsv.Row> rows = List.of(new TraceCsv.Row("conv2d_tf32_64x128", Dim3.of(784), Dim3.of(256), 900),
                new TraceCsv.Row("max_pool2d", Dim3.of(784), Dim3.of(256), 3));
        TraceCsv.write(out, List.of("recorded on a GPU", "convolutions in tf32"), rows);
        assertThat(out.toString()).startsWith("# recorded on a GPU\n# convolutions in tf32\n" + TraceCsv.HEADER + "\n");

        TraceCostModel replayed = TraceCostModel.parse("t.csv", out.toString().lines().toList(), 132, Duration.ZERO);
        assertThat(replayed.rowCount()).isEqualTo(2);
        assertThat(replayed.kernelNames()).containsExactly("conv2d_tf32_64x128", "max_pool2d");
        assertThat(replayed.exactBlockNanos("conv2d_tf32_64x128", LaunchConfig.of(Dim3.of(784), Dim3.of(256))))
                .hasValue(900_000 / 6); // 784 blocks on 132 slots: 6 waves

        assertThatThrownBy(() -> TraceCsv.write(new StringWriter(), List.of("two\nlines"), rows))
                .hasMessageContaining("one line");
    }

    /**
     * ResNet-18's rows as the recorder writes them, replayed: every launch, plain, yieldable or a
     * slice of it, gets the median of the rows of its own work (the same kernel, grid and integer
     * arguments: layer1's convolutions come in identical pairs), even where layers of different
     * work share a kernel and a grid (a 1x1 downsample and a 3x3 convolution), which the shape
     * alone would merge into one median; a yieldable launch gets its twin's rows. The durations
     * are test data (launch i took 10 + i us, its yieldable twin 1000 + i us), not measurements.
     */
    @Test
    void eachLaunchReplaysItsOwnRowThroughItsIntegerArguments() throws IOException {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(132).build();
             ResNet model = ResNet.build(sim.device(0), ResNetArchitecture.RESNET18, 1, 18, ConvPrecision.TF32)) {
            List<KernelLaunch> launches = model.launches();
            List<TraceCsv.Row> rows = new ArrayList<>();
            for (int i = 0; i < launches.size(); i++) {
                rows.add(TraceRecorder.row(launches.get(i), 10 + i));
            }
            List<TraceCsv.Row> all = new ArrayList<>(rows);
            for (int i = 0; i < launches.size(); i++) {
                if (launches.get(i).yieldKernel() != null) {
                    all.add(TraceRecorder.yieldRow(launches.get(i), 1000 + i));
                }
            }
            KernelLaunch plainOnly = new KernelLaunch(launches.get(1).plan(), launches.get(1).kernel(), launches.get(1).args());
            assertThatThrownBy(() -> TraceRecorder.yieldRow(plainOnly, 1)).hasMessageContaining("no yieldable variant");
            var out = new StringWriter();
            TraceCsv.write(out, all);
            TraceCostModel replayed = TraceCostModel.parse("t.csv", out.toString().lines().toList(), 132, Duration.ZERO);

            long shapes = rows.stream().map(r -> r.kernel() + r.grid()).distinct().count();
            long works = rows.stream().map(TraceRecorderTest::work).distinct().count();
            assertThat(shapes).as("different work on one kernel and grid").isLessThan(works);
            int yieldRow = rows.size();
            for (int i = 0; i < launches.size(); i++) {
                KernelLaunch launch = launches.get(i);
                long expected = recordedBlock(all, rows.get(i));
                assertThat(replayed.blockNanos(launch.kernel().name(), launch.plan().config(), launch.args()))
                        .as("plain %s", launch).isEqualTo(expected);
                if (launch.yieldKernel() != null) {
                    assertThat(replayed.blockNanos(launch.yieldKernel().name(), launch.plan().config(), launch.yieldArgs()))
                            .as("yieldable %s: its own row", launch).isEqualTo(recordedBlock(all, all.get(yieldRow++)))
                            .isNotEqualTo(expected);
                }
                if (launch.isSliceable()) {
                    assertThat(replayed.blockNanos(launch.kernel().name(), LaunchConfig.of(Dim3.of(1), Dim3.of(256)),
                            launch.sliceArgs().withI32(1))).as("a one-block slice of %s", launch).isEqualTo(expected);
                }
            }
        }
    }

    /**
     * A model that splits K (a simulated device whose trace names the split kernel, as one
     * recorded with split K will): the recorder writes each split launch with its own grid (tiles x
     * splits) and integer arguments (the splits among them), its yieldable twin with the unsplit
     * grid, and the replay gives each split launch its own row back. The durations are test data.
     */
    @Test
    void aSplitKLaunchIsRecordedWithItsGridAndSplitsAndReplaysItsOwnRow() throws IOException {
        TraceCostModel withSplitK = TraceCostModel.parse("split K", List.of(TraceCostModel.HEADER,
                "conv2d_tf32_64x64_splitk,128,1,1,256,1,1,20.0"), 132, Duration.ZERO);
        try (SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(132).costModel(withSplitK).build();
             ResNet model = ResNet.build(sim.device(0), ResNetArchitecture.RESNET18, 1, 18, ConvPrecision.TF32)) {
            List<KernelLaunch> split = model.launches().stream().filter(l -> l.plan().splitsK()).toList();
            assertThat(split).hasSizeGreaterThan(10);
            List<TraceCsv.Row> rows = new ArrayList<>();
            for (int i = 0; i < split.size(); i++) {
                rows.add(TraceRecorder.row(split.get(i), 10 + i));
            }
            for (int i = 0; i < split.size(); i++) {
                KernelLaunch launch = split.get(i);
                assertThat(rows.get(i).grid()).isEqualTo(launch.plan().grid());
                assertThat(rows.get(i).intArgs()).as("%s: the splits after the convolution's integers", launch)
                        .endsWith((long) launch.plan().splits());
                TraceCsv.Row twin = TraceRecorder.yieldRow(launch, 1);
                assertThat(twin.kernel()).isEqualTo("conv2d_tf32_64x64_yield");
                assertThat(twin.grid().volume()).as("one block per tile").isEqualTo(launch.plan().tiles());
            }
            var out = new StringWriter();
            TraceCsv.write(out, rows);
            TraceCostModel replayed = TraceCostModel.parse("t.csv", out.toString().lines().toList(), 132, Duration.ZERO);
            for (int i = 0; i < split.size(); i++) {
                KernelLaunch launch = split.get(i);
                assertThat(replayed.blockNanos(launch.kernel().name(), launch.plan().config(), launch.args()))
                        .as("%s", launch).isEqualTo(recordedBlock(rows, rows.get(i)));
            }
        }
    }

    /** The block time of {@code row}'s work: the median over the rows of the same work, as TraceCostModel takes it. */
    private static long recordedBlock(List<TraceCsv.Row> rows, TraceCsv.Row row) {
        List<Long> blocks = rows.stream().filter(r -> work(r).equals(work(row)))
                .map(r -> Math.round(r.kernelMicros() * 1000.0 / ((r.grid().volume() + 131) / 132))).sorted().toList();
        int mid = blocks.size() / 2;
        return blocks.size() % 2 == 1 ? blocks.get(mid) : (blocks.get(mid - 1) + blocks.get(mid)) / 2;
    }

    private static String work(TraceCsv.Row row) {
        return row.kernel() + row.grid() + row.block() + row.intArgs();
    }

    @Test
    void theProvenanceNamesTheDeviceThePrecisionAndTheRuns() {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(132).build()) {
            var options = TraceRecorder.Options.parse(new String[]{"--runs", "5", "--warmup", "2"});
            List<String> lines = TraceRecorder.provenance(sim.device(0), ConvPrecision.TF32, 1024, options,
                    Instant.parse("2026-12-01T20:15:30.123Z"));
            assertThat(lines).containsExactly(
                    "recorded by dev.xsched.examples.resnet.TraceRecorder on Simulated GPU (132 CUs) (sim, 132 compute units)"
                            + " at 2026-12-01T20:15:30Z",
                    "convolutions in tf32; resnet18 batch 1, then resnet50 batch 1024, then the yieldable twins of both"
                            + " (stop flag never raised); kernel_us = median of 5 passes after 2 warm-up passes");
        }
    }

    @Test
    void rowsRejectNamesThatWouldBreakTheCsvAndImpossibleDurations() {
        assertThatThrownBy(() -> new TraceCsv.Row("a,b", Dim3.of(1), Dim3.of(1), 1)).hasMessageContaining("C identifier");
        assertThatThrownBy(() -> new TraceCsv.Row("k", Dim3.of(1), Dim3.of(1), Double.NaN)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new TraceCsv.Row("k", Dim3.of(1), Dim3.of(1), -1)).hasMessageContaining(">= 0");
    }

    @Test
    void resnet50AtBatch1024FitsAnH200AndIsCutDownOnASmallGpu() {
        Network resnet50 = ResNetArchitecture.RESNET50.network();
        long h200 = 143_771L << 20;
        assertThat(TraceRecorder.fittingBatch(resnet50, 1024, h200)).isEqualTo(1024);
        long small = 8L << 30;
        int batch = TraceRecorder.fittingBatch(resnet50, 1024, small);
        assertThat(batch).isLessThan(1024);
        assertThat(ResNet.deviceBytes(resnet50, batch)).isLessThanOrEqualTo((long) (small * 0.85));
        assertThat(ResNet.deviceBytes(resnet50, batch + 1)).isGreaterThan((long) (small * 0.85));
    }

    /** Batch 4096 fits an H200's memory, but its first convolution's output (64x112x112 an image) would not be indexable. */
    @Test
    void aTf32BatchIsCutDownToWhatItsKernelsIndex() {
        Network resnet50 = ResNetArchitecture.RESNET50.network();
        assertThat(TraceRecorder.tf32Batch(resnet50, 1024)).isEqualTo(1024);
        int batch = TraceRecorder.tf32Batch(resnet50, 4096);
        assertThat(batch).isLessThan(4096);
        long largest = resnet50.convolutions().stream()
                .mapToLong(c -> Math.max(c.shape().inputElements(), c.shape().outputElements())).max().orElseThrow();
        assertThat(batch * largest).isLessThanOrEqualTo(Integer.MAX_VALUE);
        assertThat((batch + 1) * largest).isGreaterThan(Integer.MAX_VALUE);
    }

    @Test
    void optionsHaveDefaultsAndSayWhatIsWrong() {
        assertThat(TraceRecorder.Options.parse(new String[0]))
                .as("no --precision: the device's default, decided once the device is open")
                .isEqualTo(new TraceRecorder.Options(1024, 10, 3, Path.of("resnet-trace.csv"), null));
        assertThat(TraceRecorder.Options.parse(new String[]{"--batch", "256", "--out", "t.csv", "--warmup", "0"}))
                .isEqualTo(new TraceRecorder.Options(256, 10, 0, Path.of("t.csv"), null));
        assertThat(TraceRecorder.Options.parse(new String[]{"--precision", "tf32"}).precision()).isEqualTo(ConvPrecision.TF32);
        assertThat(TraceRecorder.Options.parse(new String[]{"--precision", "FP32", "--runs", "5"}))
                .isEqualTo(new TraceRecorder.Options(1024, 5, 3, Path.of("resnet-trace.csv"), ConvPrecision.FP32));
        assertThatThrownBy(() -> TraceRecorder.Options.parse(new String[]{"--precision"})).hasMessage("--precision needs a value");
        assertThatThrownBy(() -> TraceRecorder.Options.parse(new String[]{"--precision", "fp16"}))
                .hasMessage("--precision must be tf32 or fp32, got 'fp16'");
        assertThatThrownBy(() -> TraceRecorder.Options.parse(new String[]{"--batch"})).hasMessage("--batch needs a value");
        assertThatThrownBy(() -> TraceRecorder.Options.parse(new String[]{"--out", "no-such-folder/t.csv"}))
                .hasMessageEndingWith("no-such-folder is not a writable folder");
        assertThatThrownBy(() -> TraceRecorder.Options.parse(new String[]{"--runs", "x"}))
                .hasMessage("--runs needs a whole number, got 'x'");
        assertThatThrownBy(() -> TraceRecorder.Options.parse(new String[]{"--batch", "0"})).hasMessage("--batch must be > 0, got 0");
        assertThatThrownBy(() -> TraceRecorder.Options.parse(new String[]{"--fast"})).hasMessage("unknown argument '--fast'");
    }

    @Test
    void hopperHas128Fp32LanesPerSm() {
        assertThat(Fp32Peak.nvidiaLanesPerSm(9, 0)).isEqualTo(128);
        assertThat(Fp32Peak.nvidiaLanesPerSm(8, 0)).isEqualTo(64);
        assertThat(Fp32Peak.nvidiaLanesPerSm(8, 9)).isEqualTo(128);
        // H200 SXM: 132 SMs at 1.98 GHz -> 66.9 TFLOP/s, NVIDIA's datasheet figure (67)
        assertThat(new Fp32Peak(128, 132, 1.98, "sm_90").tflops()).isCloseTo(66.9, org.assertj.core.data.Offset.offset(0.05));
    }

    /**
     * AMD's datasheet figures: MI100 (gfx908, 120 CUs, 1.502 GHz) 23.1 TFLOP/s FP32 vector, 46.1
     * matrix; MI250X (gfx90a, 220 CUs, 1.7 GHz) 47.9 vector, 95.7 packed FP32 and 95.7 matrix.
     */
    @Test
    void amdPeaksCountPackedFp32AndTheMatrixCores() {
        var close = org.assertj.core.data.Offset.offset(0.1);
        assertThat(Fp32Peak.amd("gfx908", false, 120, 1.502).tflops()).isCloseTo(23.1, close);
        assertThat(Fp32Peak.amd("gfx908", true, 120, 1.502).tflops()).isCloseTo(46.1, close);
        assertThat(Fp32Peak.amd("gfx90a:sramecc+:xnack-", false, 220, 1.7).tflops()).as("packed").isCloseTo(95.7, close);
        assertThat(Fp32Peak.amd("gfx90a", true, 220, 1.7).tflops()).isCloseTo(95.7, close);
        assertThat(Fp32Peak.amd("gfx1030", false, 40, 2.0).lanesPerUnit()).isEqualTo(64);
    }

    @Test
    void launchesThatAddUpToMuchMoreThanAPassAreCalledOut() {
        assertThat(TraceRecorder.inflationWarning("resnet50 batch 1024", 122.956, 122.844)).as("the H200's ResNet-50").isEmpty();
        assertThat(TraceRecorder.inflationWarning("resnet18 batch 1", 1.521, 1.42)).as("7% over: within the bound").isEmpty();
        assertThat(TraceRecorder.inflationWarning("m", 0.3, 0.4)).as("gaps in the pass: normal").isEmpty();
        assertThat(TraceRecorder.inflationWarning("resnet18 batch 1", 0.852, 0.433)).hasValueSatisfying(w -> assertThat(w)
                .startsWith("warning: resnet18 batch 1's launches add up to 0.852 ms, 2.0x its 0.433 ms pass")
                .contains("docs/simulator.md").contains("record again"));
    }

    @Test
    void theMedianOfAnEvenCountAveragesTheMiddleTwo() {
        assertThat(LaunchTimer.median(new double[]{5, 1, 3})).isEqualTo(3);
        assertThat(LaunchTimer.median(new double[]{4, 1, 3, 2})).isEqualTo(2.5);
    }
}
