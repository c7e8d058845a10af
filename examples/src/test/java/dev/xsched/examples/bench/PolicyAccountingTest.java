package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

class PolicyAccountingTest {
    private static final long MS = 1_000_000;

    @Test
    void sharesCountOnlyCompletionsInTheIntervalPerWindowAndOverall() {
        // Job a: 3 completions in window 0, 1 in window 1; job b: 1 in each; outside [from, to) ignored.
        long from = 1_000 * MS;
        long[] a = {from + 10 * MS, from + 20 * MS, from + 30 * MS, from + 150 * MS, from - 1, from + 200 * MS};
        long[] b = {from + 50 * MS, from + 199 * MS};
        ShareAccounting s = new ShareAccounting(List.of(a, b), 2, from, from + 200 * MS, 100 * MS);
        assertThat(s.windows()).isEqualTo(2);
        assertThat(s.kernels(0)).isEqualTo(8);
        assertThat(s.kernels(1)).isEqualTo(4);
        assertThat(s.share(0)).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(s.share(0, 0)).isCloseTo(0.75, within(1e-9));
        assertThat(s.share(1, 1)).isCloseTo(0.5, within(1e-9));
        assertThat(s.ratio(0, 1)).isCloseTo(2.0, within(1e-9));
        // 12 kernels of 10 ms in 200 ms: 60% busy.
        assertThat(s.utilization(10 * MS)).isCloseTo(0.6, within(1e-9));
        assertThat(s.seconds()).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void emptyWindowsAndJobsAreNaNNotErrors() {
        ShareAccounting s = new ShareAccounting(List.of(new long[0], new long[0]), 1, 0, 300 * MS, 100 * MS);
        assertThat(s.share(0)).isNaN();
        assertThat(s.share(0, 1)).isNaN();
        assertThat(s.ratio(0, 1)).isNaN();
        assertThat(PolicyReport.windowSd(s)).isNaN();
    }

    @Test
    void sharesOfAllJobsSumToOneWheneverAnythingCompleted() {
        qt().forAll(integers().between(1, 500), integers().between(1, 500), integers().between(0, 1000))
                .checkAssert((na, nb, seed) -> {
                    java.util.Random random = new java.util.Random(seed);
                    long[] a = random.longs(na, 0, 1_000 * MS).toArray();
                    long[] b = random.longs(nb, 0, 1_000 * MS).toArray();
                    ShareAccounting s = new ShareAccounting(List.of(a, b), 2, 0, 1_000 * MS, 100 * MS);
                    assertThat(s.share(0) + s.share(1)).isCloseTo(1.0, within(1e-9));
                    assertThat(s.share(0)).isCloseTo(na / (double) (na + nb), within(1e-9));
                    for (int w = 0; w < s.windows(); w++) {
                        double sum = s.share(0, w) + s.share(1, w);
                        assertThat(Double.isNaN(sum) || Math.abs(sum - 1) < 1e-9).isTrue();
                    }
                });
    }

    @Test
    void aMissIsALateOrUncompletedInstance() {
        long d = 5 * MS;
        DeadlineAccounting acc = new DeadlineAccounting(d, new long[] {MS, 5 * MS, 5 * MS + 1, DeadlineAccounting.NOT_COMPLETED, 2 * MS});
        assertThat(acc.released()).isEqualTo(5);
        assertThat(acc.missed()).isEqualTo(2); // exactly at the deadline is on time
        assertThat(acc.notCompleted()).isEqualTo(1);
        assertThat(acc.missRate()).isCloseTo(0.4, within(1e-9));
        assertThat(acc.percentileMillis(50)).isCloseTo(2.0, within(1e-9)); // nearest rank of 1, 2, 5, 5.000001
        assertThat(acc.maxMillis()).isCloseTo(5.000001, within(1e-9));
        assertThat(new DeadlineAccounting(d, new long[0]).missRate()).isNaN();
    }

    @Test
    void theDeadlineTaskSetLoadsTheDeviceToEightyPercent() {
        double load = PolicyBenchmark.TASKS.stream().mapToDouble(PolicyBenchmark.Task::load).sum();
        assertThat(load).isCloseTo(0.8, within(1e-9));
        for (PolicyBenchmark.Task t : PolicyBenchmark.TASKS) {
            assertThat(t.deadlineMs()).isLessThanOrEqualTo(t.periodMs());
            assertThat(t.kernels() * t.kernelMs()).isLessThan(t.deadlineMs());
        }
    }

    @Test
    void optionsKeepTheCanonicalOrderAndRejectNonsenseNamingTheOption() {
        Path out = Path.of("out/x");
        assertThat(new PolicyOptions(0.5, 0, List.of("deadline", "Partition"), 2, out).only()).containsExactly("partition", "deadline");
        assertThat(PolicyOptions.defaultOutput().toString()).startsWith("results");
        assertThatThrownBy(() -> new PolicyOptions(1, 0, List.of("latency"), 1, out)).hasMessageContaining("--only");
        assertThatThrownBy(() -> new PolicyOptions(0, 0, PolicyOptions.BENCHMARKS, 1, out)).hasMessageContaining("--duration");
        assertThatThrownBy(() -> new PolicyOptions(1, -1, PolicyOptions.BENCHMARKS, 1, out)).hasMessageContaining("--warmup");
        assertThatThrownBy(() -> new PolicyOptions(1, 0, PolicyOptions.BENCHMARKS, 0, out)).hasMessageContaining("--kernel-ms");
    }

    @Test
    void modesParseFromTheirLabelsAndPrintAsTyped() {
        for (Mode mode : List.of(Mode.STANDALONE_HP, Mode.STANDALONE_LP, Mode.NATIVE, Mode.NATIVE_PRIORITY, Mode.xsched("up"))) {
            assertThat(Mode.parse(mode.label())).isEqualTo(mode);
            assertThat(mode).hasToString(mode.label());
        }
        assertThat(Mode.parse(" XSched-CFS ")).isEqualTo(Mode.xsched("cfs"));
        assertThat(Mode.NATIVE_PRIORITY.label()).isEqualTo("native-priority");
        assertThatThrownBy(() -> Mode.parse("xsched-")).hasMessageContaining("unknown mode 'xsched-'");
        assertThatThrownBy(() -> Mode.parse("up")).hasMessageContaining("xsched-POLICY");
    }
}
