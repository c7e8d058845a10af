package dev.xsched.examples.bench;

import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * End to end on the simulated device in real time, a few hundred ms per mode: every benchmark runs
 * and writes its files in the documented shape. Nothing here asserts a share or a latency: in real
 * time they depend on how loaded the machine is. The policies' shares are proven on virtual time
 * ({@code ShareProofTest}, {@code DeadlineProofTest} in xsched-policies).
 */
class PolicyBenchmarkSimTest {
    @Test
    void everyBenchmarkRunsAndWritesItsFiles(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PolicyOptions options = new PolicyOptions(0.6, 0.1, List.of("partition", "fair", "deadline"), 1, dir);
        PolicyBenchmark.Summary summary;
        try (SimulatedPlatform sim = PolicyBenchmark.simulated()) {
            summary = PolicyBenchmark.run(options, sim, out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        for (String f : List.of("partition.json", "partition-shares.csv", "fair.json", "fair-shares.csv", "deadline.json",
                "deadline-responses.csv")) {
            assertThat(dir.resolve(f)).isNotEmptyFile();
        }
        // PNGs where this host can draw; otherwise the benchmark says how to redraw them.
        for (String bench : List.of("partition", "fair", "deadline")) {
            assertThat(Files.exists(dir.resolve(bench + ".png")) || text.contains("could not draw " + bench)).isTrue();
        }
        // The benchmark's own verdicts may say NOT MET on a loaded machine (real time): this test checks the
        // method and the files, not the figures.
        assertThat(text).contains("partition (target A 75% / B 25%)").contains("xsched-up").contains("xsched-kedf");

        PolicyBenchmark.ShareRun up = summary.shares().get("partition").getLast();
        assertThat(up.mode()).isEqualTo(Mode.xsched("up"));
        // The native baseline is measured once and reused by the fair-share benchmark.
        assertThat(summary.shares().get("fair").getFirst()).isSameAs(summary.shares().get("partition").getFirst());
        assertThat(summary.deadline()).extracting(PolicyBenchmark.DeadlineRun::mode)
                .containsExactly(Mode.NATIVE, Mode.NATIVE_PRIORITY, Mode.xsched("fifo"), Mode.xsched("kedf"));
        PolicyReport.ShareReport partition = Json.read(dir.resolve("partition.json"), PolicyReport.ShareReport.class);
        assertThat(partition.verdict()).startsWith("goal (shares within 3 points of 75/25");
        assertThat(partition.runs()).extracting(PolicyReport.ShareRunJson::mode).containsExactly("native", "native-priority", "xsched-up");
        assertThat(partition.runs().getLast().shareA()).isCloseTo(up.shares().share(0), within(1e-4));
        PolicyReport.DeadlineReport deadline = Json.read(dir.resolve("deadline.json"), PolicyReport.DeadlineReport.class);
        assertThat(deadline.tasks()).extracting(PolicyReport.TaskJson::name).containsExactly("A", "B", "C");
        assertThat(deadline.runs()).hasSize(4);
        List<String> rows = Files.readAllLines(dir.resolve("deadline-responses.csv"));
        assertThat(rows.getFirst()).isEqualTo("mode,task,release_s,response_ms,deadline_ms,missed,gc_count,gc_ms,run_queue_ms,off_cpu_ms");
        // A completed instance has its collections counted (0 or more) and, on Linux, its thread's
        // run-queue wait; its time off the CPU where its thread kept the CPU (on the simulator the
        // task threads' waits block, so mostly empty); an unfinished one none of these.
        boolean linux = Files.isReadable(Path.of("/proc/thread-self/schedstat"));
        assertThat(rows.subList(1, rows.size())).isNotEmpty().allSatisfy(row -> {
            String[] f = row.split(",", -1);
            assertThat(f).hasSize(10);
            if (f[3].isEmpty()) {
                assertThat(f[6]).isEmpty();
                assertThat(f[8]).isEmpty();
                assertThat(f[9]).isEmpty();
            } else {
                assertThat(Long.parseLong(f[6])).isNotNegative();
                assertThat(Long.parseLong(f[7])).isNotNegative();
                if (linux) {
                    assertThat(Double.parseDouble(f[8])).isNotNegative();
                }
                if (!f[9].isEmpty()) {
                    assertThat(Double.parseDouble(f[9])).isNotNegative();
                }
            }
        });
    }

    @Test
    void modesRestrictEachBenchmarkToTheConfigurationsNamed(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PolicyOptions options = new PolicyOptions(0.3, 0, List.of("partition", "deadline"), 1, dir,
                List.of(Mode.NATIVE, Mode.xsched("up"), Mode.xsched("kedf")));
        PolicyBenchmark.Summary summary;
        try (SimulatedPlatform sim = PolicyBenchmark.simulated()) {
            summary = PolicyBenchmark.run(options, sim, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        }
        assertThat(summary.shares().get("partition")).extracting(PolicyBenchmark.ShareRun::mode)
                .containsExactly(Mode.NATIVE, Mode.xsched("up"));
        assertThat(summary.deadline()).extracting(PolicyBenchmark.DeadlineRun::mode).containsExactly(Mode.NATIVE, Mode.xsched("kedf"));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("% of native)");
    }
}
