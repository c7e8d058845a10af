package dev.xsched.examples.scenario;

import dev.xsched.examples.resnet.ConvPrecision;
import dev.xsched.examples.resnet.PlannedLaunch;
import dev.xsched.examples.resnet.ResNet;
import dev.xsched.examples.resnet.ResNetArchitecture;
import dev.xsched.examples.resnet.ResNetKernels;
import dev.xsched.hip.Device;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.KernelRecord;
import dev.xsched.hip.sim.KernelRecorder;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.TraceCostModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulated demo replays the trace of one precision and plans exactly the kernels it recorded:
 * the committed traces (FP32 recorded on the H200 on 2026-11-29, TF32 on 2026-12-04) against the
 * planner, and a replay of the TF32 trace.
 */
class RecordedTraceTest {
    private static final RecordedTrace.Source COMMITTED = RecordedTrace.Source.resources();

    @Test
    void everyCommittedTraceCoversEveryLaunchTheSimulatedDemoPlansInItsPrecision() throws IOException {
        List<ConvPrecision> recorded = new ArrayList<>();
        for (ConvPrecision precision : ConvPrecision.values()) {
            Optional<RecordedTrace> trace = RecordedTrace.of(precision, COMMITTED);
            if (trace.isEmpty()) {
                continue;
            }
            recorded.add(precision);
            TraceCostModel model = trace.get().costModel(ScenarioBenchmark.H200_SMS);
            boolean splitLoads;
            boolean splitK;
            try (SimulatedPlatform sim = ScenarioBenchmark.simulatedH200Builder(trace).build()) {
                // The kernels by kind of load and split K where the trace recorded them, as the demo plans.
                splitLoads = ResNetKernels.splitLoads(sim.device(0));
                splitK = ResNetKernels.splitK(sim.device(0));
            }
            for (var model2batch : Map.of(ResNetArchitecture.RESNET18, 1,
                    ResNetArchitecture.RESNET50, ScenarioOptions.DEFAULT_LP_BATCH).entrySet()) {
                List<PlannedLaunch> plan = PlannedLaunch.plan(model2batch.getKey().network(), model2batch.getValue(),
                        ScenarioBenchmark.H200_SMS, precision, splitLoads, splitK);
                assertThat(plan).as("%s launches of %s", precision, model2batch.getKey())
                        .allSatisfy(launch -> assertThat(model.exactBlockNanos(launch.kernel(), launch.config()))
                                .as("recorded duration of %s", launch).isPresent());
            }
        }
        assertThat(recorded).as("the FP32 trace recorded on 2026-11-29 is committed").contains(ConvPrecision.FP32);
        assertThat(RecordedTrace.choose(null, COMMITTED).orElseThrow().precision())
                .as("the H200's default precision when its trace is committed, else FP32")
                .isEqualTo(recorded.contains(ConvPrecision.TF32) ? ConvPrecision.TF32 : ConvPrecision.FP32);
    }

    /**
     * A committed trace's rows are the launches of ResNet-18 (batch 1) then ResNet-50 (batch 1024)
     * in order, as TraceRecorder writes them: kernel, grid, block and, where recorded, the integer
     * arguments (a sliceable kernel's without the block offset) that pick each row at replay; then,
     * where recorded, the yieldable twins of their convolutions in the same order.
     */
    @Test
    void everyCommittedTracesRowsAreTheDemosLaunchesInOrder() throws IOException {
        for (ConvPrecision precision : ConvPrecision.values()) {
            Optional<RecordedTrace> trace = RecordedTrace.of(precision, COMMITTED);
            if (trace.isEmpty()) {
                continue;
            }
            List<String[]> rows = rows(trace.get());
            List<String[]> launches = new ArrayList<>();
            List<String[]> twins = new ArrayList<>();
            List<String[]> convolutionTwins = new ArrayList<>();
            try (SimulatedPlatform sim = ScenarioBenchmark.simulatedH200Builder(trace).memoryBytes(140L << 30).build();
                 ResNet r18 = ResNet.build(sim.device(0), ResNetArchitecture.RESNET18, 1, 1, precision);
                 ResNet r50 = ResNet.build(sim.device(0), ResNetArchitecture.RESNET50, ScenarioOptions.DEFAULT_LP_BATCH, 1,
                         precision)) {
                for (var launch : java.util.stream.Stream.concat(r18.launches().stream(), r50.launches().stream()).toList()) {
                    var p = launch.plan();
                    String ints = intArgs(launch.isSliceable() ? launch.sliceArgs() : launch.args());
                    launches.add(new String[]{p.kernel(), "" + p.grid().x(), "" + p.grid().y(), "" + p.grid().z(),
                            "" + p.block().x(), "" + p.block().y(), "" + p.block().z(), ints});
                    if (launch.yieldKernel() != null) {
                        // A split-K launch's twin keeps one block per tile and the unsplit arguments.
                        var y = launch.yieldConfig();
                        String twinInts = intArgs(launch.yieldArgs());
                        String[] twin = {launch.yieldKernel().name(), "" + y.grid().x(), "" + y.grid().y(),
                                "" + y.grid().z(), "" + y.block().x(), "" + y.block().y(), "" + y.block().z(), twinInts};
                        twins.add(twin);
                        if (!launch.yieldKernel().name().contains("pool")) {
                            convolutionTwins.add(twin);
                        }
                    }
                }
            }
            // Traces recorded before the pools became yieldable (round 9) have the convolutions'
            // twins only; the simulator replays the plain pool's time for a pool's twin.
            if (rows.size() == launches.size() + twins.size()) {
                launches.addAll(twins);
            } else if (rows.size() > launches.size()) {
                launches.addAll(convolutionTwins);
            }
            assertThat(rows).as("%s rows", trace.get().resource()).hasSameSizeAs(launches);
            for (int i = 0; i < rows.size(); i++) {
                String[] row = rows.get(i);
                String[] launch = launches.get(i);
                assertThat(List.of(row).subList(0, 7)).as("row %d of %s", i + 1, trace.get().resource())
                        .isEqualTo(List.of(launch).subList(0, 7));
                if (row.length > 8 && !row[8].isBlank()) {
                    assertThat(row[8]).as("int_args of row %d of %s", i + 1, trace.get().resource()).isEqualTo(launch[7]);
                }
            }
        }
    }

    /**
     * ResNet-18 on a simulated H200 replaying the committed TF32 trace launches the TF32 kernels
     * (split K and the kernels by kind of load included, as recorded on 2026-12-04), and each
     * launch, alone on the device, lasts what the trace recorded for it: its plain pass the first
     * 23 rows, its yieldable pass the twins of its 21 convolutions and 2 pools (recorded after the
     * 79 plain rows of both models).
     */
    @Test
    void aSimulatedH200ReplayingTheTf32TraceLastsWhatEachLaunchRecorded() throws IOException {
        RecordedTrace tf32 = RecordedTrace.choose(null, COMMITTED).orElseThrow();
        assertThat(tf32.precision()).as("TF32 is preferred once recorded").isEqualTo(ConvPrecision.TF32);
        KernelRecorder recorder = new KernelRecorder();
        try (SimulatedPlatform sim = ScenarioBenchmark.simulatedH200Builder(Optional.of(tf32)).virtualTime()
                .listener(recorder).build()) {
            Device device = sim.device(0);
            assertThat(ConvPrecision.defaultFor(device)).isEqualTo(ConvPrecision.TF32);
            try (ResNet resnet = ResNet.build(device, ResNetArchitecture.RESNET18, 1, 18, ConvPrecision.defaultFor(device));
                 Stream stream = device.createStream()) {
                resnet.forward(stream);
                resnet.forwardYieldable(stream);
                stream.synchronize();
            }
        }
        List<KernelRecord> launches = recorder.kernels().stream()
                .filter(r -> r.kernelName().startsWith("conv") || r.kernelName().contains("pool")).toList();
        assertThat(launches).hasSize(2 * 23)
                .allSatisfy(r -> assertThat(r.kernelName()).matches("conv2d_tf32_\\w+|(max_pool2d|global_avg_pool)(_yield)?"))
                .anySatisfy(r -> assertThat(r.kernelName()).isEqualTo("conv2d_tf32_64x64_splitk"))
                .anySatisfy(r -> assertThat(r.kernelName()).isEqualTo("conv2d_tf32_64x64_yield"));
        List<String[]> rows = rows(tf32);
        int plainRows = 23 + 56;
        int twin = plainRows;
        for (int i = 0; i < launches.size(); i++) {
            KernelRecord launch = launches.get(i);
            String[] row = i < 23 ? rows.get(i) : rows.get(twin++);
            assertThat(row[0]).as("the row replayed for launch %d", i).isEqualTo(launch.kernelName());
            assertThat(Integer.parseInt(row[1])).as("grid of launch %d", i).isEqualTo(launch.config().grid().x());
            // Rows of one kernel, grid and arguments (a layer repeated in a stage) replay their
            // median; each in whole-nanosecond block times, one per wave.
            List<Double> sameWork = rows.stream().filter(r -> r[0].equals(row[0]) && r[1].equals(row[1]) && r[8].equals(row[8]))
                    .map(r -> Double.parseDouble(r[7])).sorted().toList();
            int n = sameWork.size();
            double medianMicros = n % 2 == 1 ? sameWork.get(n / 2) : (sameWork.get(n / 2 - 1) + sameWork.get(n / 2)) / 2;
            assertThat(launch.runNanos()).as("%s %s alone lasts what the trace recorded", launch.kernelName(), launch.config())
                    .isCloseTo(Math.round(medianMicros * 1000), org.assertj.core.data.Offset.offset((long) launch.config().grid().x()));
        }
        assertThat(twin).as("the yieldable pass replayed every ResNet-18 twin").isEqualTo(plainRows + 23);
    }

    @Test
    void theFp32TraceMakesTheSimulatedDeviceFp32AndADeviceWithoutATraceStandsForAnH200() throws IOException {
        RecordedTrace fp32 = RecordedTrace.choose(ConvPrecision.FP32, COMMITTED).orElseThrow();
        try (SimulatedPlatform sim = ScenarioBenchmark.simulatedH200Builder(Optional.of(fp32)).virtualTime().build();
             SimulatedPlatform bare = SimulatedPlatform.builder().build()) {
            assertThat(ConvPrecision.defaultFor(sim.device(0))).isEqualTo(ConvPrecision.FP32);
            assertThat(ConvPrecision.defaultFor(bare.device(0))).isEqualTo(ConvPrecision.TF32);
        }
    }

    /**
     * The simulated H200 leaves a launch gap between consecutive kernels of a stream, so the slots
     * an HP kernel frees go to the LP blocks waiting, and the next HP kernel waits for LP blocks to
     * retire again, as on the GPU. Without the gap (the simulator's default) it would inherit them.
     * Block durations here are test values, in virtual time.
     */
    @Test
    void theNextHpKernelWaitsForLpBlocksAgainBecauseOfTheLaunchGap() {
        long lpBlock = 100_000;
        long gap = ScenarioBenchmark.H200_LAUNCH_GAP.toNanos();
        assertThat(secondHpKernelStart(ScenarioBenchmark.simulatedH200Builder(Optional.empty()), lpBlock))
                .as("the LP blocks dispatched in the gap run to their end first").isEqualTo(lpBlock);
        assertThat(secondHpKernelStart(SimulatedPlatform.builder().computeUnits(ScenarioBenchmark.H200_SMS)
                .hardwarePriority(true).priorityRange(0, -5), lpBlock))
                .as("no gap: the second HP kernel takes its predecessor's slots at once").isZero();
        assertThat(gap).isPositive().isLessThan(lpBlock);
    }

    /** From the end of the first of two HP kernels (132 blocks each) to the start of the second, beside a long LP kernel. */
    private static long secondHpKernelStart(SimulatedPlatform.Builder builder, long lpBlockNanos) {
        KernelRecorder recorder = new KernelRecorder();
        try (SimulatedPlatform sim = builder.virtualTime().listener(recorder).build()) {
            Device device = sim.device(0);
            var module = device.loadModule(device.compiler().compile("k.hip",
                    "extern \"C\" __global__ void lp(int n) {}\nextern \"C\" __global__ void hp(int n) {}\n"));
            var args = KernelArgs.builder().i32(0).build();
            var slots = LaunchConfig.of(ScenarioBenchmark.H200_SMS, 256);
            try (Stream lpStream = device.createStream(0); Stream hpStream = device.createStream(-5)) {
                lpStream.launch(SimulatedPlatform.withBlockDuration(module.function("lp", ParamType.INT),
                        Duration.ofNanos(lpBlockNanos)), LaunchConfig.of(100 * ScenarioBenchmark.H200_SMS, 256), args);
                sim.virtualClock().advanceBy(lpBlockNanos / 2);
                var hp = SimulatedPlatform.withBlockDuration(module.function("hp", ParamType.INT),
                        Duration.ofNanos(10_000));
                hpStream.launch(hp, slots, args);
                hpStream.launch(hp, slots, args);
                hpStream.synchronize();
            }
            sim.virtualClock().runUntilIdle();
        }
        List<KernelRecord> hp = recorder.kernels("hp");
        return hp.get(1).startNanos() - hp.get(0).endNanos();
    }

    @Test
    void aPrecisionWithoutARecordedTraceIsRefusedAndAMisnamedTraceToo() throws IOException {
        List<String> fp32Lines = COMMITTED.lines(RecordedTrace.resourceOf(ConvPrecision.FP32)).orElseThrow();
        RecordedTrace.Source onlyFp32 = resource -> resource.equals(RecordedTrace.resourceOf(ConvPrecision.FP32))
                ? Optional.of(fp32Lines) : Optional.empty();
        assertThatThrownBy(() -> RecordedTrace.choose(ConvPrecision.TF32, onlyFp32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no trace of the tf32 kernels (h200-resnet-trace-tf32.csv)")
                .hasMessageContaining("TraceRecorder --precision tf32");
        RecordedTrace fallback = RecordedTrace.choose(null, onlyFp32).orElseThrow();
        assertThat(fallback.precision()).isEqualTo(ConvPrecision.FP32);
        assertThat(fallback.defaultNote()).contains("the H200 runs tf32 by default").contains("h200-resnet-trace-tf32.csv");
        assertThat(RecordedTrace.choose(null, resource -> Optional.empty())).isEmpty();

        RecordedTrace.Source misnamed = resource -> Optional.of(fp32Lines);
        assertThatThrownBy(() -> RecordedTrace.choose(null, misnamed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("h200-resnet-trace-tf32.csv should hold the tf32 convolution kernels")
                .hasMessageContaining("its convolutions are fp32");
    }

    /** A launch's integer arguments as the int_args column holds them: space-separated. */
    private static String intArgs(KernelArgs args) {
        return TraceCostModel.integerArguments(args).stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(" "));
    }

    /** A trace's launch rows, split into their columns. */
    private static List<String[]> rows(RecordedTrace trace) {
        return trace.lines().stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("kernel,")).map(l -> l.split(",", -1)).toList();
    }
}
