package dev.xsched.examples.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioOutputTest {
    private static ModeResult result(String mode, long... millis) {
        Latencies latencies = new Latencies();
        for (long ms : millis) {
            latencies.add(ms * 1_000_000);
        }
        return new ModeResult(mode, latencies, millis.length, millis.length / 10.0, 5, 0.5, 512, 10);
    }

    @Test
    void percentilesAreNearestRank() {
        Latencies l = new Latencies();
        for (int i = 1; i <= 100; i++) {
            l.add(i * 1_000_000L);
        }
        assertThat(l.percentileMillis(50)).isEqualTo(50.0);
        assertThat(l.percentileMillis(99)).isEqualTo(99.0);
        assertThat(l.percentileMillis(99.9)).isEqualTo(100.0);
        assertThat(l.maxMillis()).isEqualTo(100.0);
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
    void jsonHasTheRunsListWithTheDocumentedFields(@TempDir Path dir) throws Exception {
        ScenarioOptions options = ScenarioOptions.defaults(dir).withTiming(10, 3);
        Path json = ResultsWriter.json(List.of(result("native", 1, 2, 3), result("standalone-lp")), options, "nvidia",
                "NVIDIA H200", false, dir);
        String text = Files.readString(json);
        assertThat(text).contains("\"runs\": [").contains("\"mode\": \"native\"").contains("\"p50_ms\": 2.0000")
                .contains("\"p99_ms\": 3.0000").contains("\"max_ms\": 3.0000").contains("\"achieved_rps\": 0.3000")
                .contains("\"iter_per_s\": 0.5000").contains("\"platform\": \"nvidia\"");
        assertThat(text).contains("{\"mode\": \"standalone-lp\"").contains("\"hp\": {}");
    }

    @Test
    void latenciesRoundTripThroughTheCsvSoTheChartCanBeDrawnElsewhere(@TempDir Path dir) throws Exception {
        LatencyCsv.write(List.of(result("native", 5, 1, 3), result("xsched-hpf", 2)), dir);
        List<ModeResult> back = LatencyCsv.read(dir);
        assertThat(back).extracting(ModeResult::mode).containsExactly("native", "xsched-hpf");
        assertThat(back.getFirst().hp().percentileMillis(50)).isEqualTo(3.0);
        assertThat(back.get(1).hpRequests()).isEqualTo(1);
    }

    @Test
    void optionsAreValidatedNamingTheOption() {
        ScenarioOptions d = ScenarioOptions.defaults(Path.of("out"));
        assertThatThrownBy(() -> new ScenarioOptions(0, 1, 1, 0, d.modes(), 2, 1, true, "auto", d.output()))
                .hasMessageContaining("--rate must be > 0, got 0");
        assertThatThrownBy(() -> d.withModes(List.of("native", "bogus"))).hasMessageContaining("unknown mode 'bogus'");
        assertThatThrownBy(() -> d.withTiming(1, -1)).hasMessageContaining("--warmup must be >= 0");
        assertThatThrownBy(() -> new ScenarioOptions(1, 1, 1, 0, d.modes(), 1, 2, true, "auto", d.output()))
                .hasMessageContaining("--batch-size must be <= --threshold");
        assertThat(ScenarioOptions.modes(List.of("native", "xsched-hpf"), List.of("cfs", "hpf")))
                .containsExactly("native", "xsched-hpf", "xsched-cfs");
    }
}
