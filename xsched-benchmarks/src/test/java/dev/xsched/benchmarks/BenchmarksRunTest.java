package dev.xsched.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every benchmark that docs/benchmarks.md tells how to run does run: each of its methods, every
 * parameter, one short iteration in this JVM (no fork, no warm-up), failing on any exception a
 * benchmark or its fixtures throw. The figures of so short a run mean nothing; the docs' runs are
 * the measurements.
 */
class BenchmarksRunTest {
    /** Every {@code @Benchmark} method, as JMH names them. */
    private static final Set<String> BENCHMARKS = Set.of(
            "dev.xsched.benchmarks.XQueueSubmitBenchmark.throughput",
            "dev.xsched.benchmarks.XQueueSubmitBenchmark.submitToLaunch",
            "dev.xsched.benchmarks.XQueueSubmitBenchmark.yieldableThroughput",
            "dev.xsched.benchmarks.XQueueRoundTripBenchmark.roundTrip",
            "dev.xsched.benchmarks.XQueueRoundTripBenchmark.roundTripHandOffs",
            "dev.xsched.benchmarks.XQueueRoundTripBenchmark.backToBack",
            "dev.xsched.benchmarks.PreemptingSubmitBenchmark.submitUntilBatchSuspended");

    @Test
    @Timeout(300)
    void everyBenchmarkRunsOnceWithEveryParameter() throws Exception {
        Options options = new OptionsBuilder().include("dev\\.xsched\\.benchmarks\\..*").forks(0).warmupIterations(0)
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(300)).shouldFailOnError(true).build();
        Collection<RunResult> results = new Runner(options).run();
        Set<String> ran = new TreeSet<>();
        for (RunResult result : results) {
            ran.add(result.getParams().getBenchmark());
            assertThat(result.getPrimaryResult().getSampleCount()).as(result.getParams().toString()).isPositive();
        }
        assertThat(ran).containsExactlyInAnyOrderElementsOf(BENCHMARKS);
        // Both settings of the preemption's path ran.
        assertThat(results.stream().filter(r -> r.getParams().getBenchmark().endsWith("submitUntilBatchSuspended"))
                .map(r -> r.getParams().getParam("decideOnSubmit"))).containsExactlyInAnyOrder("false", "true");
    }
}
