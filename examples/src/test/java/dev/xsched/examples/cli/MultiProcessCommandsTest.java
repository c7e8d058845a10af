package dev.xsched.examples.cli;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The multi-process commands as docs/multiprocess.md shows them: {@code xsched server}, then
 * {@code top --once}, {@code policy}, {@code hint} against it, with a process scheduled by it.
 */
class MultiProcessCommandsTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** A refusal part way (the queue closed between two hints): the error says what was applied and what was not sent. */
    @Test
    void aHintRefusedPartWaySaysWhatWasAppliedAndWhatWasNotSent() {
        List<String> hints = List.of("priority=5", "weight=2048", "deadline=10ms");
        assertThat(HintCommand.refusal(hints, 1, "no queue 'batch' in process 42")).isEqualTo(
                "hint 2 of 3, weight=2048 refused: no queue 'batch' in process 42; applied before it: priority=5; not sent: deadline=10ms");
        assertThat(HintCommand.refusal(hints, 2, "gone")).isEqualTo(
                "hint 3 of 3, deadline=10ms refused: gone; applied before it: priority=5 weight=2048");
        assertThat(HintCommand.refusal(List.of("priority=5"), 0, "gone")).isEqualTo("priority=5 refused: gone");
        assertThat(HintCommand.outcome(hints, 1, "not confirmed, the connection failed (closed)")).isEqualTo(
                "hint 2 of 3, weight=2048 not confirmed, the connection failed (closed); applied before it: priority=5;"
                        + " not sent: deadline=10ms");
    }

    @Test
    void serverTopPolicyAndHint() {
        Path socket = dir.resolve("xsched.sock");
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            CompletableFuture<CliRun> server = CompletableFuture.supplyAsync(() -> run("server", "--socket", socket.toString(),
                    "--policy", "hpf", "--heartbeat-ms", "200", "--client-timeout-ms", "5000"));
            while (!ServerCommand.RUNNING.containsKey(socket)) {
                assertThat(server).isNotDone();
                LockSupport.parkNanos(1_000_000);
            }
            try (SimulatedPlatform sim = SimulatedPlatform.builder().build();
                 XScheduler scheduler = XScheduler.builder().name("trainer").server(socket).jmx(false).build()) {
                XQueue queue = scheduler.createQueue(sim.device(0), XQueueConfig.defaults("batch")).hint(new Hint.Priority(-10));
                CliRun top;
                do {
                    top = run("top", "--once", "--socket", socket.toString());
                    assertThat(top.status()).isZero();
                } while (!top.out().contains("prio=-10"));
                assertThat(top.out()).contains("xsched server: policy hpf, 1 queue(s), server thread CPU ").contains("PID").contains("GPU%")
                        .contains(queue.id() + ":batch").contains("prio=-10").contains("idle");

                CliRun policy = run("policy", "--socket", socket.toString());
                assertThat(policy.status()).isZero();
                assertThat(policy.out()).contains("active policy: hpf").contains("installed: ").contains("cfs");
                assertThat(run("policy", "cfs", "--socket", socket.toString()).out()).contains("switched to: cfs");
                CliRun unknown = run("policy", "nope", "--socket", socket.toString());
                assertThat(unknown.status()).isEqualTo(1);
                assertThat(unknown.err()).contains("unknown policy 'nope'");

                long pid = ProcessHandle.current().pid();
                CliRun hint = run("hint", pid + "/batch", "priority=5", "weight=2048", "--socket", socket.toString());
                assertThat(hint.status()).isZero();
                assertThat(hint.out()).contains("given to 1 queue(s)");
                assertThat(run("top", "--once", "--socket", socket.toString()).out()).contains("prio=5 weight=2048");
                assertThat(run("hint", "nonsense", "priority=1", "--socket", socket.toString()).status()).isEqualTo(2);
                assertThat(run("hint", pid + "/batch", "speed=1", "--socket", socket.toString()).status()).isEqualTo(2);
                CliRun noQueue = run("hint", pid + "/nosuch", "priority=1", "weight=2", "--socket", socket.toString());
                assertThat(noQueue.status()).isEqualTo(1);
                assertThat(noQueue.err()).contains("hint 1 of 2, priority=1 refused: no queue 'nosuch' in process " + pid
                        + "; none applied; not sent: weight=2");

                // The demo asks the server for its policies before the first mode, not minutes into the run.
                CliRun missing = run("demo", "--processes", "2", "--server", socket.toString(), "--modes", "native,xsched-nope",
                        "--duration", "1", "--warmup", "0", "--output", dir.resolve("never").toString());
                assertThat(missing.status()).as(missing.err()).isEqualTo(2);
                assertThat(missing.err()).contains("mode xsched-nope: no policy 'nope' is installed on the server at " + socket);
                assertThat(missing.out()).doesNotContain("mode native (two processes)");
            } finally {
                ServerCommand.RUNNING.get(socket).close();
            }
            assertThat(server.get(30, TimeUnit.SECONDS).status()).isZero();
            CliRun noServer = run("top", "--once", "--socket", socket.toString());
            assertThat(noServer.status()).isEqualTo(1);
            assertThat(noServer.err()).contains("no xsched server at " + socket);
            CliRun demoNoServer = run("demo", "--processes", "2", "--server", socket.toString(), "--duration", "1");
            assertThat(demoNoServer.status()).isEqualTo(1);
            assertThat(demoNoServer.err()).contains("no xsched server at " + socket);
            assertThat(demoNoServer.out()).doesNotContain("(two processes):");
        });
    }

    @Test
    void aServerStoppedByAnErrorExitsNonZeroSoThatASupervisorRestartsIt() {
        Path socket = dir.resolve("failing.sock");
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            CompletableFuture<CliRun> server = CompletableFuture.supplyAsync(() -> run("server", "--socket", socket.toString()));
            while (!ServerCommand.RUNNING.containsKey(socket)) {
                assertThat(server).isNotDone();
                LockSupport.parkNanos(1_000_000);
            }
            // An Error on the server's thread, as an exhausted heap would throw there.
            assertThatThrownBy(() -> ServerCommand.RUNNING.get(socket).onServerThread(c -> {
                throw new OutOfMemoryError("simulated");
            })).isInstanceOf(OutOfMemoryError.class);
            CliRun stopped = server.get(30, TimeUnit.SECONDS);
            assertThat(stopped.status()).isEqualTo(1);
            assertThat(stopped.err()).contains("stopped by an error: java.lang.OutOfMemoryError: simulated");
            assertThat(socket).doesNotExist();
        });
    }

    @Test
    void theDemoRunsInTwoProcessesAndSaysWhatTheSimulatorDoesNotModel() {
        assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
            CliRun demo = run("demo", "--processes", "2", "--duration", "1", "--warmup", "0", "--modes", "native,xsched-hpf",
                    "--lp-env", "CUDA_MPS_CLIENT_PRIORITY=1", "--decide-on-submit", "on", "--output", dir.toString());
            assertThat(demo.status()).as(demo.err()).isZero();
            assertThat(demo.out()).contains("ResNet-18 (HP) and ResNet-50 (LP) each in a JVM of its own")
                    .contains("the LP process's environment adds {CUDA_MPS_CLIENT_PRIORITY=1}")
                    // The LP process got the gate, the two-process default: its queue warmed up behind it
                    // before the HP process started.
                    .containsOnlyOnce("  LP process: ran the batch model once on its gated queue before the online model starts (")
                    .contains("each process simulates its own GPU, so contention across processes is not modelled")
                    .contains("mode xsched-hpf (two processes)").contains("two processes")
                    // Said once, for the one scheduled mode; the processes get it as arguments.
                    .containsOnlyOnce("decisions on the submitting thread on (--decide-on-submit)")
                    // The host's steal and throttling, once for the run and once per mode, as in one process.
                    .containsPattern("(?m)^host: [0-9]+ CPUs available, .* so far$")
                    .containsPattern("(?s)mode native \\(two processes\\):.*\n  host: .* during this mode\n.*"
                            + "mode xsched-hpf \\(two processes\\):.*\n  host: .* during this mode\n")
                    .containsPattern("xsched-hpf +server thread CPU [0-9.]+% of one core, in-process, over the measured window");
            assertThat(dir.resolve("results.json")).content().contains("xsched-hpf").contains("native")
                    .contains("\"decide_on_submit\" : true")
                    .containsPattern("\"server\"\\s*:\\s*\\{\\s*\"where\"\\s*:\\s*\"in-process\",\\s*\"thread_cpu_percent\"");
            assertThat(dir.resolve("hp-latencies.csv")).content().contains("xsched-hpf,");
            // The in-JVM server's log, which went nowhere before: its clients' connects and disconnects.
            assertThat(demo.out()).contains("server.log (the scheduler server's log: connects, disconnects, warnings)");
            assertThat(dir.resolve("server.log")).content().contains("== mode xsched-hpf (the scheduler server in the demo's JVM)")
                    .containsPattern("INFO client \\d+ connected: pid \\d+ \\(scenario-hp\\)")
                    .containsPattern("INFO client \\d+ disconnected: ");
            // The breakdown as in one process, its LP columns and socket messages from both processes.
            assertThat(demo.out()).contains("where the HP time goes")
                    .containsPattern("xsched-hpf: socket messages per HP request: [0-9.]+ state changes to the server");
            List<String> breakdown = java.nio.file.Files.readAllLines(dir.resolve("hp-breakdown.csv"));
            assertThat(breakdown.getFirst()).endsWith(",lp_suspends,lp_suspended_ms,to_server,from_server,lp_decisions,run_queue_ms,"
                    + "off_cpu_ms,woke_late_ms,enqueue_ms,lp_suspend_ms,hp_to_server,start_record_ms");
            // The LP process timed its suspensions (one in a stretch: its start within the stretch, 1 ms
            // before the arrival to 1 ms before the next, 50 ms apart), and the HP process's own
            // frames are counted apart.
            List<String[]> hpf = breakdown.stream().skip(1).map(l -> l.split(",")).filter(f -> f[0].equals("xsched-hpf")).toList();
            assertThat(hpf).filteredOn(f -> f[10].equals("1")).isNotEmpty()
                    .allSatisfy(f -> assertThat(Double.parseDouble(f[19])).as(String.join(",", f)).isBetween(0.0, 49.0));
            assertThat(hpf).anyMatch(f -> Long.parseLong(f[20]) > 0);
            assertThat(demo.out()).contains("xsched-hpf: the LP's suspension began P50 ");
            // The HP process measured what the host did to its thread and handed it over with the row: the run-queue wait
            // and the park's return are numbers on Linux (off_cpu_ms is NaN here: the simulator's stream waits block).
            if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/thread-self/schedstat"))) {
                assertThat(breakdown.subList(1, breakdown.size())).allSatisfy(l -> {
                    String[] f = l.split(",");
                    assertThat(List.of(f[15], f[17])).as(l).doesNotContain("NaN");
                });
            }
            assertThat(breakdown).anyMatch(l -> l.startsWith("native,")).anyMatch(l -> l.startsWith("xsched-hpf,"));
            assertThat(run("demo", "--server", "/tmp/x.sock").status()).isEqualTo(2);
            assertThat(run("demo", "--processes", "3").status()).isEqualTo(2);
            CliRun lpEnvAlone = run("demo", "--lp-env", "CUDA_MPS_CLIENT_PRIORITY=1");
            assertThat(lpEnvAlone.status()).isEqualTo(2);
            assertThat(lpEnvAlone.err()).contains("--lp-env needs --processes 2");
            CliRun badName = run("demo", "--processes", "2", "--lp-env", "1X=2");
            assertThat(badName.status()).isEqualTo(2);
            assertThat(badName.err()).contains("--lp-env takes NAME=VALUE with NAME of letters, digits and _", "got '1X'");
            assertThat(run("demo", "--processes", "2", "--lp-env", "NO_VALUE").status()).isEqualTo(2);
        });
    }

    @Test
    void everyMultiProcessCommandHasHelpAndIsListed() {
        for (String command : List.of("server", "top", "policy", "hint", "bench ipc")) {
            List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            CliRun help = run(args.toArray(String[]::new));
            assertThat(help.status()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: xsched " + command).contains("--socket");
        }
        assertThat(run("help").out()).containsPattern("(?m)^  server ").containsPattern("(?m)^  top ")
                .containsPattern("(?m)^  policy ").containsPattern("(?m)^  hint ").containsPattern("(?m)^  bench ipc ");
        assertThat(run("demo", "--help").out()).contains("--processes").contains("--server");
        assertThat(run("server", "--help").out()).contains("--heartbeat-ms").contains("--client-timeout-ms");
        CliRun rareHeartbeat = run("server", "--socket", dir.resolve("never.sock").toString(), "--heartbeat-ms", "15000",
                "--client-timeout-ms", "30000");
        assertThat(rareHeartbeat.status()).isEqualTo(2);
        assertThat(rareHeartbeat.err()).contains("--heartbeat-ms must be at most 3333 (a third of the clients' server timeout), got 15000");
        CliRun badTimeout = run("server", "--socket", dir.resolve("never.sock").toString(), "--heartbeat-ms", "1000",
                "--client-timeout-ms", "500");
        assertThat(badTimeout.status()).isEqualTo(2);
        assertThat(badTimeout.err()).contains("the client timeout longer than it, got 1000 ms and 500 ms");
        assertThat(dir.resolve("never.sock")).doesNotExist();
    }

    @Test
    void benchIpcPrintsTheTableAndTheJsonLine() {
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            CliRun bench = run("bench", "ipc", "--rounds", "50", "--warmup", "10", "--output", dir.toString());
            assertThat(bench.status()).as(bench.err()).isZero();
            assertThat(bench.out()).contains("A ready -> B suspended (decision latency)").contains("A idle -> B resumed")
                    .contains("each process simulates its own GPU").contains("JSON {\"benchmark\":\"ipc\"")
                    .containsPattern("spins: A's scheduling thread \\d+ us \\(XSCHED_SCHEDULER_SPIN_US\\), B's reader \\d+ us");
            assertThat(dir.resolve("results.json")).content().containsPattern("\"rounds\" ?: ?50").containsPattern("\"warmup\" ?: ?10")
                    .containsPattern("\"spins_us\"\\s*:\\s*\\{\\s*\"scheduler\"\\s*:\\s*\\d+");
            assertThat(bench.out()).contains("rounds after 10 warm-up, back to back");
        });
    }

    @Test
    void benchIpcSpacesItsRoundsWhenAsked() {
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            long started = System.nanoTime();
            CliRun bench = run("bench", "ipc", "--rounds", "20", "--warmup", "5", "--interval-ms", "50", "--output",
                    dir.toString());
            assertThat(bench.status()).as(bench.err()).isZero();
            assertThat(bench.out()).contains("20 rounds after 5 warm-up, 50 ms apart");
            assertThat(System.nanoTime() - started).as("20 pauses of 50 ms").isGreaterThanOrEqualTo(1_000_000_000L);
            assertThat(dir.resolve("results.json")).content().containsPattern("\"interval_ms\"\\s*:\\s*50");
        });
    }

    @Test
    void benchIpcRefusesANegativeInterval() {
        CliRun bench = run("bench", "ipc", "--interval-ms", "-1");
        assertThat(bench.status()).isEqualTo(2);
        assertThat(bench.err()).contains("--interval-ms must be >= 0, got -1");
    }
}
