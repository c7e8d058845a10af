package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

class LaunchBenchmarkTest {
    @Test
    void percentilesUseTheNearestRankLikeTheCProgram() {
        long[] samples = new long[100];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (100 - i) * 1000L; // 1..100 us, shuffled order does not matter
        }
        LatencyStats stats = LatencyStats.of(samples);
        assertThat(stats.medianMicros()).isEqualTo(50.0);
        assertThat(stats.p99Micros()).isEqualTo(99.0);
        assertThat(stats.minMicros()).isEqualTo(1.0);
        assertThat(stats.maxMicros()).isEqualTo(100.0);
        assertThat(stats.meanMicros()).isEqualTo(50.5);
        assertThat(LatencyStats.of(new long[]{7000}).p99Micros()).isEqualTo(7.0);
    }

    @Test
    void theNearestRankIsAlwaysASampleBetweenMinAndMax() {
        qt().forAll(integers().between(1, 500), integers().between(1, 100)).checkAssert((n, percent) -> {
            long[] sorted = new long[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = i * 10L;
            }
            long value = LatencyStats.nearestRank(sorted, percent / 100.0);
            assertThat(value).isBetween(sorted[0], sorted[n - 1]);
            assertThat(value % 10).isZero();
        });
    }

    @Test
    void optionsAreCheckedBeforeAnyGpuWorkNamingTheOption() {
        assertThatThrownBy(() -> new LaunchBenchmark.Options(0, 1, 1)).hasMessageContaining("--iterations");
        assertThatThrownBy(() -> new LaunchBenchmark.Options(1, -1, 1)).hasMessageContaining("--warmup");
        assertThatThrownBy(() -> new LaunchBenchmark.Options(1, 0, 0)).hasMessageContaining("--launches");
    }
}
