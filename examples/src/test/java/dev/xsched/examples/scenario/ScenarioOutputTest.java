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

    @Test
    void theDefaultPreemptionIsYieldEverywhereAnExplicitChoiceStays() {
        ScenarioOptions defaults = ScenarioOptions.parse(List.of());
        assertThat(defaults.slice()).as("yield on a GPU and on the simulator, which models it").isEqualTo("yield");
        assertThat(ScenarioOptions.parse(List.of("--slice", "64")).slice()).isEqualTo("64");
        assertThatThrownBy(() -> ScenarioOptions.parse(List.of("--slice", "sometimes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--slice takes yield, auto, off or a block count");
    }

    @Test
    void jsonHasTheRunsListWithTheDocumentedFields(@TempDir Path dir) throws Exception {
        ScenarioOptions options = ScenarioOptions.parse(List.of("--duration", "10", "--output", dir.toString()));
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
    void optionsAreValidatedWithTheUsage() {
        assertThatThrownBy(() -> ScenarioOptions.parse(List.of("--rate", "0"))).hasMessageContaining("--rate must be > 0");
        assertThatThrownBy(() -> ScenarioOptions.parse(List.of("--modes", "native,bogus"))).hasMessageContaining("unknown mode 'bogus'");
        assertThatThrownBy(() -> ScenarioOptions.parse(List.of("--frobnicate", "1"))).hasMessageContaining("usage: xsched demo");
        assertThatThrownBy(() -> ScenarioOptions.parse(List.of("--threshold", "1", "--batch-size", "2")))
                .hasMessageContaining("--batch-size must be <= --threshold");
        ScenarioOptions o = ScenarioOptions.parse(List.of("--policy", "cfs", "--hw-priority", "off"));
        assertThat(o.modes()).endsWith("xsched-cfs");
        assertThat(o.hwPriority()).isFalse();
    }
}
