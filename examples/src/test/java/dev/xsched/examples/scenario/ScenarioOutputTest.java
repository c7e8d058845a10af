package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.JvmCollector;
import dev.xsched.examples.bench.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ScenarioOutputTest {
    private static final long START = 1_764_590_400_000L; // 2025-12-01T12:00Z

    /** A mode's result: HP latencies in ms (none: HP did not run), LP at {@code lpRate} iterations/s (0: did not run). */
    private static ModeResult result(String mode, double lpRate, long... millis) {
        Latencies latencies = new Latencies();
        for (long ms : millis) {
            latencies.add(ms * 1_000_000);
        }
        long lpIterations = Math.round(lpRate * 10);
        return new ModeResult(Mode.parse(mode), latencies, millis.length, millis.length / 10.0, lpIterations, lpRate,
                lpRate * 1024, 10, START);
    }

    private static ModeResult result(String mode, long... millis) {
        return result(mode, 0.5, millis);
    }

    @Test
    void percentilesComeFromTheHistogramWithinItsPrecision() {
        Latencies l = new Latencies();
        for (int i = 1; i <= 100; i++) {
            l.add(i * 1_000_000L);
        }
        // 3 significant digits: the value reported is the recorded one's bucket, within 0.1%.
        assertThat(l.percentileMillis(50)).isCloseTo(50.0, within(0.05));
        assertThat(l.percentileMillis(99)).isCloseTo(99.0, within(0.1));
        assertThat(l.maxMillis()).isCloseTo(100.0, within(0.1));
        assertThat(l.meanMillis()).isCloseTo(50.5, within(0.1));
        assertThat(new Latencies().percentileMillis(50)).isNaN();
    }

    private static ScenarioOptions withSlice(String slice) {
        ScenarioOptions d = ScenarioOptions.defaults(Path.of("out"));
        return new ScenarioOptions(d.rate(), d.lpBatch(), d.seconds(), d.warmup(), d.modes(), d.threshold(), d.batchSize(),
                d.hwPriority(), slice, d.output());
    }

    @Test
    void theDefaultPreemptionIsYieldEverywhereAnExplicitChoiceStays() {
        ScenarioOptions defaults = ScenarioOptions.defaults(Path.of("out"));
        assertThat(defaults.slice()).as("yield on a GPU and on the simulator, which models it").isEqualTo("yield");
        assertThat(withSlice("64").slice()).isEqualTo("64");
        assertThatThrownBy(() -> withSlice("sometimes"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--slice takes yield, auto, off or a block count");
    }

    @Test
    void jsonHasTheRunsListWithTheDocumentedFieldsAndReadsBack(@TempDir Path dir) throws Exception {
        ScenarioOptions options = ScenarioOptions.defaults(dir).withTiming(10, 3);
        List<ModeResult> results = List.of(result("standalone-hp", 0.0, 1, 1, 2), result("standalone-lp", 2.0),
                result("native", 1.0, 1, 2, 3));
        Path json = ResultsWriter.json(results, options, "nvidia", "NVIDIA H200", false, null, true, new SchedulerSpin(Duration.ofMillis(1)), dir);
        String text = Files.readString(json);
        assertThat(text).contains("\"runs\" : [").contains("\"p50_ms\" : 2.0").contains("\"iter_per_s\" : 1.0")
                .contains("\"p999_ms\"").contains("\"vs_standalone\"").doesNotContain("\"simulation\"");

        ResultsWriter.Report back = ResultsWriter.read(dir).orElseThrow();
        assertThat(back.device()).isEqualTo("NVIDIA H200");
        assertThat(back.options().lpBatch()).isEqualTo(ScenarioOptions.DEFAULT_LP_BATCH);
        assertThat(back.runs()).extracting(ResultsWriter.Report.Run::mode).containsExactly("standalone-hp", "standalone-lp", "native");
        ResultsWriter.Report.Run nat = back.runs().get(2);
        assertThat(nat.hp().p99Ms()).isCloseTo(3.0, within(0.01));
        assertThat(nat.hp().requests()).isEqualTo(3);
        assertThat(nat.vsStandalone().hpP99()).isCloseTo(1.5, within(0.01));
        assertThat(nat.vsStandalone().lpThroughput()).isEqualTo(0.5);
        assertThat(back.runs().get(1).hp()).as("no HP requests: no hp figures").isNull();
        assertThat(back.runs().getFirst().lp()).as("no LP iterations: no lp figures").isNull();
    }

    @Test
    void jsonRecordsDecidingOnSubmitAndThePersistentGridsUsed(@TempDir Path dir) throws Exception {
        List<ModeResult> results = List.of(result("xsched-hpf", 1.0, 1, 2));
        ScenarioOptions options = ScenarioOptions.defaults(dir).withTuning(new DemoTuning(true, true));
        ResultsWriter.json(results, options, "nvidia", "NVIDIA H200", false, null, true, new SchedulerSpin(Duration.ofMillis(1)), dir);
        ResultsWriter.Report.Options onGpu = ResultsWriter.read(dir).orElseThrow().options();
        assertThat(onGpu.decideOnSubmit()).isTrue();
        assertThat(onGpu.stopOnReady()).as("as the caller armed it").isTrue();
        assertThat(onGpu.schedulerSpinUs()).as("the scheduling thread's spin, in microseconds").isEqualTo(1000);
        assertThat(onGpu.persistentYield()).isTrue();
        assertThat(onGpu.persistDynamic()).as("their tile assignment: dynamic by default").isTrue();
        assertThat(onGpu.persistOpaque()).as("their arguments opaque at each tile only beside the kernels that take every kind of load").isFalse();
        assertThat(onGpu.splitLoads()).as("the kernels by kind of input load by default").isTrue();
        assertThat(onGpu.splitK()).as("small layers split K by default").isTrue();
        assertThat(onGpu.collector()).as("the JVM's collector").isEqualTo(JvmCollector.current());
        ResultsWriter.json(results, options, "sim", "simulated H200", true, "simulated", true, new SchedulerSpin(Duration.ofMillis(1)), dir);
        ResultsWriter.Report.Options simulated = ResultsWriter.read(dir).orElseThrow().options();
        assertThat(simulated.persistentYield()).as("never on the simulator").isFalse();
        assertThat(simulated.persistDynamic()).as("no tile assignment without persistent grids").isNull();
        assertThat(simulated.persistOpaque()).isNull();
        assertThat(simulated.splitLoads()).as("the simulator launches the kernels its trace recorded").isNull();
        assertThat(simulated.splitK()).isNull();
        ResultsWriter.json(results, options.withTuning(new DemoTuning(false, false)), "nvidia", "NVIDIA H200", false, null, false, new SchedulerSpin(Duration.ZERO), dir);
        assertThat(Files.readString(dir.resolve(ResultsWriter.FILE))).contains("\"decide_on_submit\" : false")
                .contains("\"persistent_yield\" : false").contains("\"stop_on_ready\" : false")
                .contains("\"scheduler_spin_us\" : 0");
    }

    @Test
    void theVerdictComparesEachModeWithEachJobAlone() {
        List<ModeResult> results = List.of(result("standalone-hp", 0.0, 2, 2, 2), result("standalone-lp", 4.0),
                result("native", 1.0, 10, 10, 10), result("xsched-hpf", 3.0, 2, 2, 3));
        assertThat(Comparison.of(results)).extracting(Comparison::mode).containsExactly(Mode.NATIVE, Mode.xsched("hpf"));
        Comparison hpf = Comparison.of(results).get(1);
        assertThat(hpf.hpP99Ratio()).isCloseTo(1.5, within(0.01));
        assertThat(hpf.lpShare()).isEqualTo(0.75);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ResultsWriter.verdict(results, new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("native            HP P99   5.00x alone, batch job at 25% of its standalone throughput")
                .contains("xsched-hpf        HP P99   1.50x alone, batch job at 75% of its standalone throughput");
        assertThat(Comparison.of(List.of(result("native", 1.0, 1)))).as("nothing to compare against").isEmpty();
    }

    @Test
    void theHistogramLogHoldsOneTaggedIntervalPerModeWithHp(@TempDir Path dir) throws Exception {
        Path file = LatencyLog.write(List.of(result("native", 5, 1, 3), result("standalone-lp"), result("xsched-hpf", 2)), dir);
        assertThat(file.getFileName().toString()).isEqualTo("hp-latencies.hlog");
        var reader = new org.HdrHistogram.HistogramLogReader(file.toFile());
        var first = (org.HdrHistogram.Histogram) reader.nextIntervalHistogram();
        var second = (org.HdrHistogram.Histogram) reader.nextIntervalHistogram();
        assertThat(reader.nextIntervalHistogram()).isNull();
        assertThat(first.getTag()).isEqualTo("native");
        assertThat(first.getTotalCount()).isEqualTo(3);
        assertThat(first.getValueAtPercentile(50) / 1e6).isCloseTo(3.0, within(0.01));
        assertThat(first.getStartTimeStamp()).isEqualTo(START);
        assertThat(second.getTag()).isEqualTo("xsched-hpf");
    }

    @Test
    void logAxisTicksAreOneTwoFiveSteps() {
        assertThat(OneTwoFiveLogAxis.tickValues(0.3, 70)).containsExactly(0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0);
        assertThat(OneTwoFiveLogAxis.tickValues(0.01, 0.1)).containsExactly(0.01, 0.02, 0.05, 0.1);
    }

    @Test
    void theChartHasTheCdfAndTheThroughputPanel(@TempDir Path dir) throws Exception {
        List<ModeResult> results = List.of(result("standalone-hp", 0.0, 2, 2, 3), result("standalone-lp", 4.0),
                result("native", 1.0, 10, 20, 30), result("xsched-hpf", 3.0, 2, 3, 4));
        Path png;
        try {
            png = CdfChart.write(results, new CdfChart.Heading("title", "simulated"), dir);
        } catch (Error | RuntimeException e) {
            org.junit.jupiter.api.Assumptions.abort("this host cannot draw with AWT (no fonts?): " + e);
            return;
        }
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1500);
        assertThat(image.getHeight()).isEqualTo(650);
        // The throughput panel's bars: the Okabe-Ito colours of the modes with a batch job, in the right panel.
        java.util.Set<Integer> right = new java.util.HashSet<>();
        for (int x = 960; x < 1500; x++) {
            for (int y = 0; y < 650; y++) {
                right.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        assertThat(right).contains(CdfChart.colour(1).getRGB() & 0xFFFFFF, CdfChart.colour(2).getRGB() & 0xFFFFFF,
                CdfChart.colour(3).getRGB() & 0xFFFFFF);
    }

    @Test
    void latenciesRoundTripThroughTheCsvSoTheChartCanBeDrawnElsewhere(@TempDir Path dir) throws Exception {
        LatencyCsv.write(List.of(result("native", 5, 1, 3), result("xsched-hpf", 2)), dir);
        List<ModeResult> back = LatencyCsv.read(dir);
        assertThat(back).extracting(ModeResult::mode).containsExactly(Mode.NATIVE, Mode.xsched("hpf"));
        assertThat(back.getFirst().hp().percentileMillis(50)).isCloseTo(3.0, within(0.01));
        assertThat(back.get(1).hpRequests()).isEqualTo(1);
    }

    @Test
    void optionsAreValidatedNamingTheOption() {
        ScenarioOptions d = ScenarioOptions.defaults(Path.of("out"));
        assertThatThrownBy(() -> new ScenarioOptions(0, 1, 1, 0, d.modes(), 2, 1, true, "auto", d.output()))
                .hasMessageContaining("--rate must be between 0.001 and 100000 requests per second, got 0.0");
        assertThatThrownBy(() -> d.withModes(List.of())).hasMessageContaining("--modes names no mode");
        assertThatThrownBy(() -> d.withTiming(1, -1)).hasMessageContaining("--warmup must be >= 0");
        assertThatThrownBy(() -> new ScenarioOptions(1, 1, 1, 0, d.modes(), 1, 2, true, "auto", d.output()))
                .hasMessageContaining("--batch-size must be <= --threshold");
        assertThat(ScenarioOptions.modes(List.of(Mode.NATIVE, Mode.xsched("hpf")), List.of("cfs", "hpf")))
                .containsExactly(Mode.NATIVE, Mode.xsched("hpf"), Mode.xsched("cfs"));
    }
}
