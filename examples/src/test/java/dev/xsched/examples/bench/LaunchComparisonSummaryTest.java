package dev.xsched.examples.bench;

import dev.xsched.testsupport.ExternalCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundle's {@code bench/summarize-launch-comparison.sh}, which {@code run-launch-comparison.sh}
 * runs on the GPU host over its rounds: mean, standard deviation and range per implementation,
 * from runs written as the C program and {@code xsched bench launch} write them.
 */
class LaunchComparisonSummaryTest {
    private static final Path SCRIPT = Path.of("src/main/c/summarize-launch-comparison.sh");

    private static String run(String impl, int round, double median, double p99, long perSecond) {
        return "{\"round\":" + round + ",\"impl\":\"" + impl + "\",\"platform\":\"nvidia\",\"device\":\"NVIDIA H200\","
                + "\"arch\":\"sm_90\",\"iterations\":20000,\"warmup\":20000,\"roundtrip_us\":{\"median\":" + median
                + ",\"p99\":" + p99 + ",\"mean\":9.0,\"min\":7.0,\"max\":60.0},\"throughput\":{\"launches\":100000,"
                + "\"seconds\":0.36,\"launches_per_s\":" + perSecond + "}}";
    }

    private static ExternalCommand.Result summarize(Path results) throws IOException, InterruptedException {
        return ExternalCommand.run(List.of("bash", SCRIPT.toString(), results.toString()), null, Duration.ofSeconds(30));
    }

    @Test
    void fiveAlternatingRoundsGiveMeanSpreadAndRangePerImplementation(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        long[] c = {270_000, 280_000, 290_000, 300_000, 310_000};
        long[] java = {250_000, 260_000, 270_000, 280_000, 290_000};
        for (int round = 1; round <= 5; round++) {
            lines.add(run("c", round, 9.0 + round / 10.0, 17.0, c[round - 1]));
            lines.add(run("java", round, 9.5, 18.0, java[round - 1]));
        }
        Path results = Files.write(dir.resolve("results.jsonl"), lines);

        ExternalCommand.Result result = summarize(results);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output())
                .containsPattern("c round trip median \\(us\\) +9\\.30 +0\\.16 +9\\.10\\.\\.9\\.50 +5")
                .containsPattern("java round trip median \\(us\\) +9\\.50 +0\\.00 +9\\.50\\.\\.9\\.50 +5")
                // sample standard deviation of 270k..310k in steps of 10k: 15,811
                .containsPattern("c throughput \\(launches/s\\) +290000 +15811 +270000\\.\\.310000 +5")
                .containsPattern("java throughput \\(launches/s\\) +270000 +15811 +250000\\.\\.290000 +5")
                .contains("java / c: round trip median 1.022, P99 1.059, throughput 0.931 (means)")
                .doesNotContain("fewer than five rounds");
    }

    @Test
    void fewRoundsAreFlaggedAndOneSidedResultsRejected(@TempDir Path dir) throws Exception {
        Path two = Files.write(dir.resolve("two.jsonl"), List.of(run("c", 1, 9.0, 17.0, 275_000), run("java", 1, 9.3, 17.5, 247_000)));
        assertThat(summarize(two).output()).contains("fewer than five rounds per implementation");

        Path onlyC = Files.write(dir.resolve("c.jsonl"), List.of(run("c", 1, 9.0, 17.0, 275_000)));
        ExternalCommand.Result rejected = summarize(onlyC);
        assertThat(rejected.exitCode()).isEqualTo(1);
        assertThat(rejected.output()).contains("need runs of both c and java");
    }
}
