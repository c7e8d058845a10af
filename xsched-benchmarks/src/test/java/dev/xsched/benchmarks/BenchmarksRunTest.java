package dev.xsched.benchmarks;

import dev.xsched.testsupport.ExternalCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every benchmark that docs/benchmarks.md tells how to run does run: each of its methods, every
 * parameter, one short iteration in this JVM (no fork, no warm-up), failing on any exception a
 * benchmark or its fixtures throw. The figures of so short a run mean nothing; the docs' runs are
 * the measurements. {@code NativeLaunchBenchmark} and {@code NativeBackToBackBenchmark} measure
 * hip-ffm's NVIDIA platform and run apart, against the fake CUDA driver of hip-ffm's tests,
 * compiled here.
 */
class BenchmarksRunTest {
    /** The benchmarks that need a native platform (the fake driver here), run by their own test. */
    private static final String NATIVE = "Native(Launch|BackToBack)Benchmark";
    private static final Path FAKE_CUDA_SOURCE = Path.of("..", "hip-ffm", "src", "test", "c", "fake_cuda.c");
    /** The properties that point hip-ffm at the fake driver, restored after its test. */
    private static final List<String> PLATFORM_PROPERTIES = List.of("xsched.hip.platform", "xsched.cuda.library",
            "xsched.nvrtc.library");
    /** Every other {@code @Benchmark} method, as JMH names them. */
    private static final Set<String> BENCHMARKS = Set.of(
            "dev.xsched.benchmarks.XQueueSubmitBenchmark.throughput",
            "dev.xsched.benchmarks.XQueueSubmitBenchmark.submitToLaunch",
            "dev.xsched.benchmarks.XQueueSubmitBenchmark.yieldableThroughput",
            "dev.xsched.benchmarks.XQueueRoundTripBenchmark.roundTrip",
            "dev.xsched.benchmarks.XQueueRoundTripBenchmark.roundTripHandOffs",
            "dev.xsched.benchmarks.XQueueRoundTripBenchmark.backToBack",
            "dev.xsched.benchmarks.OnlineRequestBenchmark.request",
            "dev.xsched.benchmarks.PreemptingSubmitBenchmark.submitUntilBatchSuspended",
            "dev.xsched.benchmarks.PreemptingSubmitBenchmark.submitCall");

    @Test
    @Timeout(300)
    void everyBenchmarkRunsOnceWithEveryParameter() throws Exception {
        Options options = new OptionsBuilder().include("dev\\.xsched\\.benchmarks\\..*").exclude(NATIVE).forks(0).warmupIterations(0)
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(300)).shouldFailOnError(true).build();
        Collection<RunResult> results = new Runner(options).run();
        Set<String> ran = new TreeSet<>();
        for (RunResult result : results) {
            ran.add(result.getParams().getBenchmark());
            assertThat(result.getPrimaryResult().getSampleCount()).as(result.getParams().toString()).isPositive();
        }
        assertThat(ran).containsExactlyInAnyOrderElementsOf(BENCHMARKS);
        // Both settings of the preemption's path ran, with and without the online queue's idle poll.
        assertThat(results.stream().filter(r -> r.getParams().getBenchmark().endsWith("submitUntilBatchSuspended"))
                .map(r -> r.getParams().getParam("decideOnSubmit") + "/" + r.getParams().getParam("idlePollMicros")))
                .containsExactlyInAnyOrder("false/0", "false/1000", "true/0", "true/1000");
    }

    @Test
    @Timeout(120)
    void theNativeBenchmarksRunAgainstTheFakeDriver(@TempDir Path dir) throws Exception {
        Path cuda = dir.resolve("libcuda.so.1");
        Path nvrtc = dir.resolve("libnvrtc.so.13");
        assumeTrue(compiles("-DFAKE_CUDA", cuda), "gcc cannot build the fake CUDA driver here");
        assertThat(compiles("-DFAKE_NVRTC", nvrtc)).as("the fake NVRTC builds where the fake driver did").isTrue();
        // The platform opens once per JVM and nothing else in this module opens one by name.
        Map<String, String> before = new HashMap<>();
        PLATFORM_PROPERTIES.forEach(p -> before.put(p, System.getProperty(p)));
        System.setProperty("xsched.hip.platform", "nvidia");
        System.setProperty("xsched.cuda.library", cuda.toString());
        System.setProperty("xsched.nvrtc.library", nvrtc.toString());
        try {
            Options options = new OptionsBuilder().include(NATIVE).forks(0).warmupIterations(0).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(300)).shouldFailOnError(true).build();
            Set<String> ran = new TreeSet<>();
            for (RunResult result : new Runner(options).run()) {
                ran.add(result.getParams().getBenchmark());
                assertThat(result.getPrimaryResult().getSampleCount()).as(result.getParams().toString()).isPositive();
            }
            assertThat(ran).containsExactlyInAnyOrder("dev.xsched.benchmarks.NativeLaunchBenchmark.launch",
                    "dev.xsched.benchmarks.NativeLaunchBenchmark.query",
                    "dev.xsched.benchmarks.NativeBackToBackBenchmark.backToBack");
        } finally {
            before.forEach((property, value) -> {
                if (value == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, value);
                }
            });
        }
    }

    /** Builds hip-ffm's fake CUDA library with {@code define}; false where gcc is missing. */
    private static boolean compiles(String define, Path library) throws Exception {
        assertThat(FAKE_CUDA_SOURCE).as("hip-ffm's fake driver, from this module's directory").isRegularFile();
        ExternalCommand.Result gcc;
        try {
            gcc = ExternalCommand.run(List.of("gcc", "-O1", "-shared", "-fPIC", define, "-o", library.toString(),
                    FAKE_CUDA_SOURCE.toString()), null, Duration.ofSeconds(60));
        } catch (java.io.IOException e) {
            return false; // no gcc
        }
        assertThat(gcc.exitCode()).as("gcc " + define + ": " + gcc.output()).isZero();
        return Files.isRegularFile(library);
    }
}
