package dev.xsched.examples.cli;

import dev.xsched.examples.bench.Json;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command the README and docs show, run as a user runs it (on the simulated platform where
 * there is no GPU, with short durations): its exit status, what it prints and the files it writes.
 * {@code help} and {@code --version} are in {@link XschedCommandTest}.
 */
@HangGuard(seconds = 600) // runs the demo's threads in this JVM: a deadlock would hang the build
class DocumentedCommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return XschedCommand.run(List.of(args), new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Whether the run drew the PNG, or said why it could not (AWT without fonts). */
    private boolean drewOrSaidWhy(Path png) {
        return Files.exists(png) || out().contains("could not draw");
    }

    @Test
    void infoReportsEveryInstalledPlatformAndTheChoice() {
        assertThat(run("info")).isZero();
        assertThat(out()).contains("platform amd: ").contains("platform nvidia: ").contains("chosen platform: ")
                .contains("  blas: unavailable: the sim platform has no BLAS library");
        if (out().contains("platform nvidia: NOT AVAILABLE")) {
            assertThat(out()).contains("tried libcuda.so.1 (system loader)");
        }
    }

    @Test
    void demoWithTheDeviceGateRunsAndSaysSoInItsResults(@TempDir Path dir) throws Exception {
        assertThat(run("demo", "--device-gate", "on", "--modes", "standalone-hp,xsched-hpf", "--duration", "1",
                "--warmup", "0.2", "--output", dir.toString())).as(err()).isZero();
        assertThat(out()).contains("mode xsched-hpf:");
        assertThat(Files.readString(dir.resolve("results.json"))).contains("\"device_gate\" : true");
    }

    @Test
    void demoSaysItsSchedulingSettingsAndRecordsTheOnesUsed(@TempDir Path dir) throws Exception {
        assertThat(run("demo", "--decide-on-submit", "off", "--persistent-grids", "on", "--modes", "standalone-hp,xsched-hpf",
                "--duration", "1", "--warmup", "0.2", "--output", dir.toString())).as(err()).isZero();
        boolean simulated = out().contains("[SIMULATED");
        assertThat(out()).containsOnlyOnce("decisions on the submitting thread off (--decide-on-submit); the batch model's "
                + "yieldable kernels as persistent grids on (--persistent-grids)");
        // Persistent grids are never used on the simulator: results.json records what ran.
        assertThat(Files.readString(dir.resolve("results.json"))).contains("\"decide_on_submit\" : false")
                .contains("\"persistent_yield\" : " + !simulated);
    }

    @Test
    void policiesListsTheBuiltInOnesAndTheExamplesOwn() {
        assertThat(run("policies")).isZero();
        assertThat(out()).contains("hpf").contains("fifo").contains("kedf").contains("online-first");
    }

    @Test
    void demoRunsEveryModeAndWritesItsFilesWithAVerdict(@TempDir Path dir) throws Exception {
        assertThat(run("demo", "--duration", "1.5", "--warmup", "0.2", "--output", dir.toString())).as(err()).isZero();
        assertThat(out()).contains("mode standalone-hp:").contains("mode xsched-hpf:")
                .contains("verdict, against each job alone").contains("xsched-hpf        HP P99");
        if (out().contains("[SIMULATED")) {
            assertThat(out()).contains("what was simulated: no GPU was found");
        }
        for (String file : List.of("results.json", "hp-latencies.csv", "hp-latencies.hlog", "hp-breakdown.csv")) {
            assertThat(dir.resolve(file)).isNotEmptyFile();
        }
        // One breakdown row per measured HP request, as many as hp-latencies.csv has latencies.
        assertThat(Files.readAllLines(dir.resolve("hp-breakdown.csv"))).hasSameSizeAs(Files.readAllLines(dir.resolve("hp-latencies.csv")))
                .first().isEqualTo("mode,arrival_s,late_ms,wait_ms,gpu_ms,wake_ms,total_ms,lp_yields,gc_count,gc_ms,lp_suspends,lp_suspended_ms,"
                        + "to_server,from_server,lp_decisions,run_queue_ms,off_cpu_ms,woke_late_ms,enqueue_ms,lp_suspend_ms,hp_to_server,start_record_ms");
        // Where the LP was suspended once in a request's stretch, when that began (column 20) is
        // known, within the stretch: from the arrival to the next request's submission, a period
        // of 50 ms at 20 requests/s unless the host held that submission up (its late_ms, column
        // 3; a loaded host did, once). A mode without an LP queue knows nothing of LP suspensions
        // (column 12, NaN).
        List<String[]> fields = Files.readAllLines(dir.resolve("hp-breakdown.csv")).stream().skip(1).map(l -> l.split(",")).toList();
        List<String[]> hpf = fields.stream().filter(f -> f[0].equals("xsched-hpf")).toList();
        assertThat(hpf).filteredOn(f -> f[10].equals("1")).isNotEmpty();
        for (int i = 0; i + 1 < hpf.size(); i++) {
            String[] f = hpf.get(i);
            String[] next = hpf.get(i + 1);
            if (f[10].equals("1")) {
                double nextSubmission = (Double.parseDouble(next[1]) - Double.parseDouble(f[1])) * 1_000
                        + Math.max(0, Double.parseDouble(next[2]));
                assertThat(Double.parseDouble(f[19])).as(String.join(",", f)).isBetween(0.0, nextSubmission);
            }
        }
        // And it is the decision's time, not the stretch's: the simulated online request takes a
        // few milliseconds, and the suspension comes at its start (sub-millisecond at the median
        // on the 2-core machine), so a median near the period would mean the wrong suspension.
        double[] suspendMs = hpf.stream().filter(f -> f[10].equals("1")).mapToDouble(f -> Double.parseDouble(f[19])).sorted().toArray();
        assertThat(suspendMs[suspendMs.length / 2]).as("median lp_suspend_ms").isLessThan(10.0);
        assertThat(fields).filteredOn(f -> f[0].equals("native-priority")).isNotEmpty().allSatisfy(f -> assertThat(f[11]).isEqualTo("NaN"));
        assertThat(out()).contains("where the HP time goes").contains("xsched-hpf: the LP's suspension began P50 ");
        assertThat(drewOrSaidWhy(dir.resolve("latency-cdf.png"))).as(out()).isTrue();
        assertThat(Files.readString(dir.resolve("results.json"))).contains("\"mode\" : \"native-priority\"");

        // xsched breakdown DIR prints the summary again from hp-breakdown.csv.
        assertThat(run("breakdown", dir.toString())).as(err()).isZero();
        assertThat(out()).startsWith("where the HP time goes").contains("native-priority");

        // xsched chart DIR redraws it from the CSV and the JSON.
        Files.deleteIfExists(dir.resolve("latency-cdf.png"));
        int rc = run("chart", dir.toString());
        assertThat(rc == 0 ? Files.exists(dir.resolve("latency-cdf.png")) : err().contains("chart")).as(err()).isTrue();
    }

    @Test
    void benchPoliciesWritesItsFilesAndChartRedrawsThem(@TempDir Path dir) throws Exception {
        assertThat(run("bench", "policies", "--only", "partition", "--duration", "0.3", "--warmup", "0",
                "--output", dir.toString())).as(err()).isZero();
        assertThat(out()).contains("partition (target A 75% / B 25%)").contains("xsched-up").contains("results in ");
        assertThat(dir.resolve("partition.json")).isNotEmptyFile();
        assertThat(dir.resolve("partition-shares.csv")).isNotEmptyFile();
        Files.deleteIfExists(dir.resolve("partition.png"));
        int rc = run("chart", dir.toString());
        assertThat(rc == 0 ? Files.exists(dir.resolve("partition.png")) : err().contains("chart")).as(err()).isTrue();
    }

    @Test
    void breakdownOfAFolderWithoutOneOrWithAMalformedOneFailsSayingWhy(@TempDir Path dir) throws Exception {
        assertThat(run("breakdown", dir.toString())).isEqualTo(1);
        assertThat(err()).contains("has no hp-breakdown.csv");
        assertThat(run("breakdown", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err()).contains("no such folder");
        Files.writeString(dir.resolve("hp-breakdown.csv"), "mode,latency\nxsched-hpf,1.0\n");
        assertThat(run("breakdown", dir.toString())).isEqualTo(1);
        assertThat(err()).contains("does not start with the header of hp-breakdown.csv");
    }

    @Test
    void chartOfAFolderWithoutResultsFailsSayingWhatItLooksFor(@TempDir Path dir) {
        assertThat(run("chart", dir.toString())).isEqualTo(1);
        assertThat(err()).contains("has neither hp-latencies.csv");
        assertThat(run("chart", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err()).contains("no such folder");
    }

    @Test
    void benchPreemptionPrintsTheTableAndWritesItsJson(@TempDir Path dir) throws Exception {
        assertThat(run("bench", "preemption", "--block-ms", "0.1", "--probes", "5", "--output", dir.toString())).as(err()).isZero();
        assertThat(out()).contains("LP/alone").contains("cooperative");
        // One row per mechanism: gating, hw-priority, both, sliced, cooperative.
        List<?> rows = Json.read(dir.resolve("preemption.json"), List.class);
        assertThat(rows).hasSize(5);
    }

    @Test
    void benchLaunchPrintsTheTableAndTheJsonLine() {
        assertThat(run("bench", "launch", "--iterations", "20", "--warmup", "5", "--launches", "50")).isZero();
        assertThat(out()).contains("launch benchmark: java").contains("round trip (launch + sync), 20 iterations")
                .contains("JSON {\"impl\":\"java\"");
    }

    @Test
    void exampleAdoptionMovesTheWorkToAnXQueueAndComparesWarm() {
        assertThat(run("example", "adoption")).as(err()).isZero();
        assertThat(out()).contains("100 launches of scale_add").contains("after 3 unmeasured").contains("plain stream:")
                .contains("XQueue:").contains("result y[0] = ");
    }

    @Test
    void exampleCustomPolicyComparesItWithFifo() {
        assertThat(run("example", "custom-policy")).isZero();
        assertThat(out()).contains("fifo ").contains("online-first").contains("online kernel waited: median");
    }

    /** Without cuBLAS (here: the simulator) the BLAS commands say why and exit with 2; BlasCommandsFakeCudaTest runs them. */
    @Test
    void theBlasCommandsSayWhyTheyCannotRunWithoutABlasLibrary() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.xsched.hip.Hip.platformOrSimulator().isSimulated(),
                "runs where the chosen platform is the simulator");
        assertThat(run("example", "blas", "--duration", "1")).isEqualTo(2);
        assertThat(out()).contains("xsched example blas needs a BLAS library, and platform sim has none usable");
        assertThat(run("example", "adopt-stream")).isEqualTo(2);
        assertThat(out()).contains("xsched example adopt-stream needs the nvidia platform");
        assertThat(run("bench", "gemm", "--size", "64")).isEqualTo(2);
        assertThat(out()).contains("xsched bench gemm needs a BLAS library");
    }
}
