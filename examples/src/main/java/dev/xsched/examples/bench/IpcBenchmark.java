package dev.xsched.examples.bench;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.SpinSetting;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.examples.reliability.ThreadDump;
import dev.xsched.ipc.client.ClientOptions;
import dev.xsched.ipc.client.ServerDecisionSource;
import dev.xsched.ipc.server.SchedulerServer;
import dev.xsched.ipc.server.ServerOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code xsched bench ipc}: the decision latency of the scheduler server across processes. Client A
 * (this JVM) and client B (a second JVM) each have one queue on the same device (by UUID) under
 * {@code hpf}; B's low-priority queue always has work. Each round A's high-priority queue turns
 * ready (a launch), and the latency is the time until B has applied the suspend the server sent it;
 * then A's queue turns idle and the resume is timed the same way. Both processes read
 * {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux, one clock for every process of the host).
 * Each process simulates its own GPU: no GPU work is involved, only the path queue state -> A's
 * scheduling thread -> socket -> server -> socket -> B's I/O thread -> B's queue, with three
 * wake-ups that {@link Spins} can take out.
 *
 * <p>Back to back (the default), every thread on the path last ran microseconds before, so the
 * figures are those of warm threads. {@code --interval-ms} spaces the measured rounds as the
 * demo's online requests are spaced (50 ms at 20 requests/s): each thread then wakes from a long
 * block, which on a virtual machine whose idle CPUs halt costs more (the two-process demo's batch
 * queue was suspended about 0.4 ms after each request's arrival in round 37, where back-to-back
 * rounds on the same host took 24 us). The server's heartbeat wakes the threads too, once a second
 * by default: at intervals near that, some rounds find them warm.
 */
public final class IpcBenchmark {
    /**
     * The clients' options: the environment's, without the cross-process stop. What is measured is
     * the decision's way through the server, which the stop words do not shorten (they stop kernels
     * before the decision, they do not carry it); and arming a queue makes device calls, which the
     * simulator cannot take while a gate kernel's body holds it.
     */
    static final ClientOptions BENCH_CLIENT_OPTIONS = ClientOptions.fromEnvironment().withRemoteStop(false);

    /**
     * @param rounds  measured rounds (each times one suspend and one resume)
     * @param warmup  unmeasured rounds first
     * @param socket  an external server's socket, or null for one in this JVM
     * @param output  where results.json goes, or null
     * @param interval the pause before each measured round (zero: back to back); warm-up rounds
     *                 run back to back
     */
    public record Options(int rounds, int warmup, Path socket, Path output, Duration interval) {
        public static final int DEFAULT_ROUNDS = 10_000;
        /**
         * Enough rounds for the JIT to compile the whole path (C2 compiles a method after about
         * 10,000 invocations): after 1,000, the default until 2026-12-05, 2,000 measured rounds
         * on the development machine (2 cores) had a P50 of 132-154 us and a P99 over 4 ms,
         * after 10,000 a P50 of 52 us and a P99 of 98-106 us. Warm-up rounds run back to back, so this costs
         * about a second.
         */
        public static final int DEFAULT_WARMUP = 10_000;

        public Options {
            if (rounds < 1 || warmup < 0) {
                throw new IllegalArgumentException("--rounds must be >= 1 and --warmup >= 0, got " + rounds + ", " + warmup);
            }
            if (interval.isNegative()) {
                throw new IllegalArgumentException("--interval-ms must be >= 0, got " + interval.toMillis());
            }
        }

        /** Back-to-back rounds. */
        public Options(int rounds, int warmup, Path socket, Path output) {
            this(rounds, warmup, socket, output, Duration.ZERO);
        }
    }

    /** The figures: suspend and resume latency in microseconds, and the spins they were measured with. */
    public record Result(LatencyStats suspend, LatencyStats resume, String server, Spins spins) {
        JsonLine json(Options options) {
            return new JsonLine("ipc", Instant.now().toString(), options.rounds(), options.warmup(), options.interval().toMillis(),
                    server, "us", spins, Figures.of(suspend), Figures.of(resume));
        }
    }

    /**
     * The spins on the path, in microseconds, as both clients (the peer inherits this process's
     * environment) and an in-process server read them: A's scheduling thread
     * ({@value XScheduler#SPIN_VARIABLE}), B's reader ({@value ClientOptions#SPIN_VARIABLE}), the
     * server's thread ({@value ServerOptions#SPIN_VARIABLE}; an external server has its own).
     */
    public record Spins(long scheduler, long clientReader, long server) {
        static Spins fromEnvironment() {
            return new Spins(micros(SpinSetting.fromEnvironment(XScheduler.SPIN_PROPERTY, XScheduler.SPIN_VARIABLE)),
                    micros(SpinSetting.fromEnvironment(ClientOptions.SPIN_PROPERTY, ClientOptions.SPIN_VARIABLE)),
                    micros(SpinSetting.fromEnvironment(ServerOptions.SPIN_PROPERTY, ServerOptions.SPIN_VARIABLE)));
        }

        private static long micros(Duration spin) {
            return spin.toNanos() / 1_000;
        }

        @Override
        public String toString() {
            return "spins: A's scheduling thread " + scheduler + " us (" + XScheduler.SPIN_VARIABLE + "), B's reader "
                    + clientReader + " us (" + ClientOptions.SPIN_VARIABLE + "), server thread " + server + " us ("
                    + ServerOptions.SPIN_VARIABLE + ")";
        }
    }

    /** The JSON line and results.json ({@link Json}: snake_case, 4 decimals). */
    record JsonLine(String benchmark, String date, int rounds, int warmup, long intervalMs, String server, String unit,
                    Spins spinsUs, Figures suspend, Figures resume) {
    }

    /** One latency's figures in microseconds. */
    record Figures(Double median, Double p99, Double mean, Double min, Double max) {
        static Figures of(LatencyStats s) {
            return new Figures(Json.figure(s.medianMicros()), Json.figure(s.p99Micros()), Json.figure(s.meanMicros()),
                    Json.figure(s.minMicros()), Json.figure(s.maxMicros()));
        }
    }

    /** How long the peer JVM may take to start and say it is ready (a loaded CI host starts JVMs slowly). */
    private static final Duration PEER_START = Duration.ofSeconds(60);
    /** How long one round may wait for the peer's next state change before the benchmark fails. */
    private static final Duration PEER_QUIET = Duration.ofSeconds(10);

    private IpcBenchmark() {
    }

    public static Result run(Options options, PrintStream out) throws IOException, InterruptedException {
        Path dir = null;
        SchedulerServer server = null;
        Path socket = options.socket();
        if (socket == null) {
            dir = Files.createTempDirectory("xsched-bench-ipc", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            socket = dir.resolve("xsched.sock");
            server = SchedulerServer.start(ServerOptions.defaults().withSocket(socket).withJmx(false), (level, line) -> {
            });
        }
        String where = server != null ? "in-process (a thread of client A's JVM)" : "external at " + socket;
        out.println("xsched bench ipc: " + options.rounds() + " rounds after " + options.warmup() + " warm-up, "
                + (options.interval().isZero() ? "back to back" : options.interval().toMillis() + " ms apart")
                + "; server " + where + "; policy of the server decides (hpf expected)");
        out.println("each process simulates its own GPU: this measures the scheduling path between processes, not GPU work");
        Spins spins = Spins.fromEnvironment();
        out.println(spins);
        Process peer = startPeer(socket);
        // The reader thread owns the peer's output and closes it at its end, once the peer exits
        // (finally below); closing it here while that thread blocks in readLine would wait for it.
        PeerStates states = new PeerStates(new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8)));
        try (GateKernel gate = new GateKernel();
             XScheduler scheduler = XScheduler.builder().name("bench-ipc-a")
                     .decisionSource(new ServerDecisionSource(socket, "bench-ipc-a", BENCH_CLIENT_OPTIONS)).jmx(false).build()) {
            String hello = states.nextLine(PEER_START);
            if (!hello.startsWith("ready")) {
                throw new IOException("the peer process did not start: " + hello);
            }
            XQueue queue = scheduler.createQueue(gate.device(), XQueueConfig.defaults("a")).hint(new Hint.Priority(10));
            if (!hello.endsWith("false")) {
                states.await("R", Long.MIN_VALUE, PEER_QUIET); // B runs while A is idle
            }
            long[] suspend = new long[options.rounds()];
            long[] resume = new long[options.rounds()];
            int round = -options.warmup();
            String awaited = "S";
            try {
                for (; round < options.rounds(); round++) {
                    if (round >= 0 && !options.interval().isZero()) {
                        Thread.sleep(options.interval()); // every thread on the path blocks meanwhile
                    }
                    long readyAt = System.nanoTime();
                    gate.launchOn(queue);
                    awaited = "S";
                    long suspendedAt = states.await(awaited, readyAt, PEER_QUIET);
                    long idleAt = System.nanoTime();
                    gate.open();
                    awaited = "R";
                    long resumedAt = states.await(awaited, idleAt, PEER_QUIET);
                    if (round >= 0) {
                        suspend[round] = suspendedAt - readyAt;
                        resume[round] = resumedAt - idleAt;
                    }
                }
            } catch (IOException e) {
                // Say where it stopped: both queues, B's link, and this process's threads (the
                // in-process server's too).
                throw new IOException(e.getMessage() + " in round " + round + " (negative: warm-up), waiting for "
                        + (awaited.equals("S") ? "the suspend" : "the resume") + "; A's queue: " + queue.stats()
                        + "; B: " + peerState(peer, states) + "\nthreads of this process:\n" + ThreadDump.take(), e);
            } finally {
                // A round that failed (the peer fell quiet) left a gate kernel running, which holds
                // the simulator: the scheduler's close below would wait for it for ever.
                gate.openForGood();
            }
            Result result = new Result(LatencyStats.of(suspend), LatencyStats.of(resume),
                    server != null ? "in-process" : "external", spins);
            print(result, options, out);
            if (states.skipped() > 0) {
                out.println("B reported " + states.skipped() + " state changes stamped before the round they were read in"
                        + " (a suspend or resume applied twice): skipped");
            }
            return result;
        } finally {
            peer.getOutputStream().close();
            peer.waitFor();
            if (server != null) {
                server.close();
                Files.deleteIfExists(dir);
            }
        }
    }

    /** B's answer to a {@code state} request (its queue and link), or why there is none. */
    private static String peerState(Process peer, PeerStates states) {
        try {
            peer.getOutputStream().write("state\n".getBytes(StandardCharsets.UTF_8));
            peer.getOutputStream().flush();
            for (int i = 0; i < 100; i++) {
                String line = states.nextLine(Duration.ofSeconds(5));
                if (line.startsWith("STATE ")) {
                    return line.substring("STATE ".length());
                }
            }
            return "no state among its next 100 lines";
        } catch (IOException | RuntimeException e) {
            return "no answer (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no answer (interrupted)";
        }
    }

    private static void print(Result r, Options options, PrintStream out) throws IOException {
        out.printf(Locale.ROOT, "%-44s %10s %10s %10s %10s%n", "", "P50 us", "P99 us", "max us", "mean us");
        out.printf(Locale.ROOT, "%-44s %10.1f %10.1f %10.1f %10.1f%n", "A ready -> B suspended (decision latency)",
                r.suspend().medianMicros(), r.suspend().p99Micros(), r.suspend().maxMicros(), r.suspend().meanMicros());
        out.printf(Locale.ROOT, "%-44s %10.1f %10.1f %10.1f %10.1f%n", "A idle -> B resumed",
                r.resume().medianMicros(), r.resume().p99Micros(), r.resume().maxMicros(), r.resume().meanMicros());
        JsonLine json = r.json(options);
        out.println("JSON " + Json.line(json));
        if (options.output() != null) {
            out.println("wrote " + Json.write(options.output().resolve("results.json"), json));
        }
    }

    /** Client B: this program's java and paths, main class {@link IpcBenchPeer}. */
    private static Process startPeer(Path socket) throws IOException {
        return dev.xsched.examples.ipc.JavaProcesses.start(IpcBenchPeer.class, List.of(socket.toString()));
    }
}
