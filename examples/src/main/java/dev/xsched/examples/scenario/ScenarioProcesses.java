package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.HostCpu;
import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.ipc.JavaProcesses;
import dev.xsched.ipc.client.ControlClient;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code xsched demo --processes 2}: the scenario with ResNet-18 and ResNet-50 in two JVMs
 * ({@link ScenarioProcess}), under one scheduler server in the xsched modes, with the same table,
 * JSON, CSV, chart and HP breakdown as in one process (the breakdown's LP columns from the LP
 * process, {@link LpMarks}, with the socket messages per HP request). Both processes measure the same windows: they read one
 * clock ({@link System#nanoTime()}, CLOCK_MONOTONIC) and start at the time this process gives them.
 */
public final class ScenarioProcesses {
    /**
     * How long a process may take to print "ready": building the models and, on a GPU, compiling
     * and loading their kernels, on a loaded host.
     */
    static final Duration READY_WITHIN = Duration.ofSeconds(120);
    /** How long after the measured window a process may take to report its results. */
    static final Duration RESULTS_MARGIN = Duration.ofSeconds(120);
    /** How long a process may take to exit once it reported "done" (or its output ended). */
    static final Duration EXIT_WITHIN = Duration.ofSeconds(30);

    private ScenarioProcesses() {
    }

    /**
     * @param server a running server's socket (its policy is switched for each xsched mode), or
     *               null for a server in this JVM, started per mode with the mode's policy
     */
    public static void run(ScenarioOptions options, Path server, PrintStream out) throws IOException, InterruptedException {
        run(options, server, Map.of(), out);
    }

    /**
     * @param server        as in {@link #run(ScenarioOptions, Path, PrintStream)}
     * @param lpEnvironment variables added to the LP process's environment (for example
     *                      {@code CUDA_MPS_CLIENT_PRIORITY=1}, an MPS client of lower priority)
     */
    public static void run(ScenarioOptions options, Path server, Map<String, String> lpEnvironment, PrintStream out)
            throws IOException, InterruptedException {
        try (ChildProcesses children = ChildProcesses.endedWithThisJvm()) {
            run(options, server, lpEnvironment, out, children);
        }
    }

    /** The demo, its processes and in-JVM servers registered with {@code children} while they run. */
    private static void run(ScenarioOptions options, Path server, Map<String, String> lpEnvironment, PrintStream out,
                            ChildProcesses children) throws IOException, InterruptedException {
        if (HpOnly.fromProperty().on()) {
            throw new IllegalArgumentException(HpOnly.PROPERTY + " is an experiment of one process: run it without --processes 2");
        }
        // Before the modes, so that a bad setting fails first: the processes inherit this JVM's
        // xsched.* properties and environment (the LP process's added environment aside).
        SchedulerSpin schedulerSpin = SchedulerSpin.fromEnvironment();
        // Whether the processes simulate: as they report it (they choose their platform themselves).
        boolean simulated = false;
        boolean mpsNoted = false;
        // Whether an LP process ran without the device gate it was asked for (its device cannot wait on memory).
        boolean ungated = false;
        out.println("the scenario in two processes: ResNet-18 (HP) and ResNet-50 (LP) each in a JVM of its own"
                + (server != null ? ", scheduled by the server at " + server : ", scheduled by a server in this JVM"));
        if (!lpEnvironment.isEmpty()) {
            out.println("the LP process's environment adds " + new java.util.TreeMap<>(lpEnvironment));
        }
        out.println("host: " + HostCpu.now().describe("so far"));
        List<ModeResult> results = new ArrayList<>();
        List<RequestBreakdown.Row> breakdown = new ArrayList<>();
        List<String> lpGaps = new ArrayList<>();
        String platformLine = "";
        Exception failure = null; // a mode's, thrown once the modes before it are written
        Path serverLog = null; // where the servers started in this JVM logged, if any was
        Files.deleteIfExists(options.output().resolve(DemoServerLog.FILE)); // an earlier run's: each mode appends
        try {
            for (Mode mode : options.modes()) {
                out.println("mode " + mode + " (two processes):");
                Path dir = null;
                SchedulerServer own = null;
                DemoServerLog ownLog = null;
                Path socket = server;
                if (mode instanceof Mode.Scheduled scheduled) {
                    String policy = scheduled.policy();
                    if (server != null) {
                        try (ControlClient control = ControlClient.connect(server, "xsched demo")) {
                            control.setPolicy(policy, Map.of());
                        }
                    } else {
                        dir = Files.createTempDirectory("xsched-demo", PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
                        socket = dir.resolve("xsched.sock");
                        ownLog = new DemoServerLog(mode.toString(), out);
                        own = SchedulerServer.start(ServerOptions.defaults().withSocket(socket).withPolicy(policy, Map.of())
                                .withJmx(false), ownLog);
                        children.add(own);
                    }
                }
                List<Side> sides = new ArrayList<>();
                try {
                    if (!mode.equals(Mode.STANDALONE_LP)) {
                        sides.add(Side.start("hp", mode, socket, options, Map.of(), children));
                    }
                    if (!mode.equals(Mode.STANDALONE_HP)) {
                        sides.add(Side.start("lp", mode, socket, options, lpEnvironment, children));
                    }
                    for (Side side : sides) {
                        platformLine = side.awaitReady(out, READY_WITHIN);
                        ungated |= side.ungated;
                        if (!mpsNoted && platformLine.startsWith("platform nvidia")) {
                            mpsNoted = true;
                            printMps(lpEnvironment, out);
                        }
                        if (!simulated && platformLine.contains("[SIMULATED")) {
                            simulated = true;
                            out.println("SIMULATED: each process simulates its own GPU, so contention across processes is not "
                                    + "modelled; the figures show the path through the server, not the sharing of a device");
                        }
                    }
                    if (mode instanceof Mode.Scheduled) {
                        out.println("  " + options.tuning().note(simulated));
                    }
                    // Both processes share the host: the steal and throttling during the mode delay either
                    // side's threads; without these lines a mode that lost seconds to the hypervisor looks like a slow scheduler.
                    HostCpu before = HostCpu.now();
                    long start = System.nanoTime() + 200_000_000L;
                    long measureFromEpochMillis = System.currentTimeMillis()
                            + (start + (long) (options.warmup() * 1e9) - System.nanoTime()) / 1_000_000;
                    sides.forEach(s -> s.start(start));
                    long windowStart = start + (long) (options.warmup() * 1e9);
                    CpuWindow cpu = !(mode instanceof Mode.Scheduled) ? null
                            : CpuWindow.start(own != null ? ServerCpu.Meter.of(own) : ServerCpu.Meter.of(socket), windowStart,
                            options.seconds());
                    Latencies latencies = new Latencies();
                    long hpRequests = 0;
                    long lpIterations = 0;
                    int lpBatch = 1;
                    List<RequestBreakdown.Row> hpRows = new ArrayList<>();
                    List<LpMarks.Mark> lpMarks = new ArrayList<>();
                    // The processes report once the window has ended; past the margin, one is stuck.
                    long reportBy = windowStart + ModeRunner.secondsToNanos(options.seconds()) + RESULTS_MARGIN.toNanos();
                    for (Side side : sides) {
                        long[] done = side.collect(latencies, hpRows, lpMarks, Duration.ofNanos(reportBy - System.nanoTime()),
                                "within " + ProcessDeadline.describe(RESULTS_MARGIN) + " of the measured window's end");
                        if (side.hp) {
                            hpRequests = done[0];
                        } else {
                            lpIterations = done[1];
                            lpBatch = (int) done[2];
                        }
                    }
                    LpMarks.Merged merged = LpMarks.merge(hpRows, lpMarks, ModeRunner.period(options),
                            ModeRunner.secondsToNanos(options.warmup()));
                    breakdown.addAll(merged.rows());
                    if (!lpMarks.isEmpty() && merged.withoutLp() > 0) {
                        lpGaps.add(String.format(java.util.Locale.ROOT, "  %s: %d of %d HP requests have no LP columns (the LP "
                                        + "process sampled after the arrival: a CPU-starved host)", mode, merged.withoutLp(),
                                merged.rows().size()));
                    }
                    double seconds = options.seconds();
                    results.add(new ModeResult(mode, latencies, hpRequests, hpRequests / seconds, lpIterations,
                            lpIterations / seconds, lpIterations * (double) lpBatch / seconds, seconds, measureFromEpochMillis,
                            cpu != null ? cpu.result() : null));
                    out.println("  host: " + HostCpu.now().since(before).throttling("during this mode"));
                } finally {
                    // A side that failed, or the first one collected failing, must not leave the other
                    // running on the GPU after this process exits.
                    boolean interrupted = false;
                    for (Side side : sides) {
                        interrupted |= side.destroyIfAlive();
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    if (own != null) {
                        own.close();
                        children.remove(own);
                        try {
                            serverLog = ownLog.appendTo(options.output());
                        } catch (IOException e) { // the mode's results matter more than its server's log
                            out.println("  could not write the scheduler server's log: " + e.getMessage());
                        }
                        Files.deleteIfExists(dir);
                    }
                }
            }
        } catch (RuntimeException | IOException | InterruptedException e) {
            // Minutes of GPU time went into the modes before: they are written, then this is thrown.
            failure = e;
        }
        if (failure != null) {
            if (results.isEmpty()) {
                throw PartialRun.rethrown(failure);
            }
            List<RequestBreakdown.Row> completedRows = PartialRun.rowsOf(results, breakdown);
            breakdown.clear();
            breakdown.addAll(completedRows);
            out.println(PartialRun.note(failure, results));
        }
        String line = platformLine + ", two processes";
        ResultsWriter.table(results, line, out);
        Path json = ResultsWriter.json(results, ungated ? options.withDeviceGate(false) : options, line, line, simulated,
                simulated ? "each process simulated its own GPU; contention across processes was not modelled" : null,
                false, // two processes stop the batch kernels with the server's raise lists
                schedulerSpin,
                options.output());
        Path csv = LatencyCsv.write(results, options.output());
        out.println("wrote " + json + " and " + csv);
        if (serverLog != null) {
            out.println("wrote " + serverLog + " (the scheduler server's log: connects, disconnects, warnings)");
        }
        if (!breakdown.isEmpty()) {
            out.println("wrote " + RequestBreakdown.write(breakdown, options.output()) + " (where each HP request's time went; "
                    + "the LP columns from the LP process)");
            BreakdownSummary.print(breakdown, out);
            lpGaps.forEach(out::println);
        }
        ScenarioBenchmark.drawChart(results, new CdfChart.Heading("ResNet-18 latency beside ResNet-50, two processes",
                simulated ? "simulated: each process simulates its own GPU" : ""), options.output(), out);
        if (failure != null) {
            throw PartialRun.rethrown(failure);
        }
    }

    /**
     * Samples the server's CPU time at the start and the end of the measured window, on a thread of
     * its own: the main thread meanwhile reads the processes' output, which must not wait.
     */
    private static final class CpuWindow {
        private final java.util.concurrent.CompletableFuture<ServerCpu> result = new java.util.concurrent.CompletableFuture<>();

        static CpuWindow start(ServerCpu.Meter meter, long windowStart, double seconds) {
            CpuWindow window = new CpuWindow();
            long windowEnd = windowStart + (long) (seconds * 1e9);
            Thread.ofPlatform().daemon().name("xsched-demo-server-cpu").start(() -> {
                try {
                    sleepUntil(windowStart);
                    ServerCpu.Sample from = meter.sample();
                    sleepUntil(windowEnd);
                    window.result.complete(ServerCpu.between(from, meter.sample(), meter.external()));
                } catch (IOException | InterruptedException | RuntimeException e) {
                    window.result.completeExceptionally(e);
                }
            });
            return window;
        }

        private static void sleepUntil(long nanoTime) throws InterruptedException {
            long left;
            while ((left = nanoTime - System.nanoTime()) > 0) {
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep(left);
            }
        }

        /** The shares, once the window has ended (the processes report after it). */
        ServerCpu result() throws IOException, InterruptedException {
            try {
                return result.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("could not read the server's CPU time: " + e.getCause(), e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IOException("the server's CPU time was not read within 30 s of the window's end", e);
            }
        }
    }

    /**
     * Whether an MPS daemon serves the processes ({@link MpsControl}): the HP process's environment
     * is this JVM's; the LP's may move the daemon's pipes, and is said apart where it does.
     */
    private static void printMps(Map<String, String> lpEnvironment, PrintStream out) {
        MpsControl hp = MpsControl.find(System.getenv());
        Map<String, String> lpSide = new java.util.HashMap<>(System.getenv());
        lpSide.putAll(lpEnvironment);
        MpsControl lp = MpsControl.find(lpSide);
        out.println(hp.note());
        if (!lp.equals(hp)) {
            out.println("LP process: " + lp.note());
        }
    }

    /** One of the two processes, as the parent sees it: its lines before "ready", then its results. */
    static final class Side {
        final boolean hp;
        final Process process;
        final BufferedReader from;
        /** How long the process may take to exit after its output ended ({@link #EXIT_WITHIN}; tests shorten it). */
        final Duration exitWithin;
        /** The process said it runs without the device gate it was asked for. */
        boolean ungated;

        Side(boolean hp, Process process) {
            this(hp, process, EXIT_WITHIN);
        }

        Side(boolean hp, Process process, Duration exitWithin) {
            this.hp = hp;
            this.process = process;
            this.exitWithin = exitWithin;
            this.from = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Side start(String side, Mode mode, Path socket, ScenarioOptions o, Map<String, String> environment,
                          ChildProcesses children) throws IOException {
            return new Side(side.equals("hp"), children.add(JavaProcesses.start(ScenarioProcess.class,
                    ScenarioProcess.arguments(side, mode, socket, o), environment)));
        }

        private String name() {
            return hp ? "HP" : "LP";
        }

        /**
         * Waits, at most {@code limit}, for the process's "ready" line and returns what follows it;
         * the notes it prints before ({@value ScenarioProcess#NOTE}...) go to {@code out}, under its
         * side's name.
         *
         * @throws IOException when the process ended without "ready", or did not print it within
         *                     {@code limit} (it is killed then)
         */
        String awaitReady(PrintStream out, Duration limit) throws IOException, InterruptedException {
            return ProcessDeadline.within(process, limit, "the " + name() + " process did not print 'ready' within "
                    + ProcessDeadline.describe(limit) + " of its start", () -> awaitReady(out));
        }

        /** {@link #awaitReady(PrintStream, Duration)} without a limit. */
        String awaitReady(PrintStream out) throws IOException {
            String line;
            while ((line = from.readLine()) != null && line.startsWith(ScenarioProcess.NOTE)) {
                String note = line.substring(ScenarioProcess.NOTE.length());
                ungated |= note.startsWith(ScenarioProcess.UNGATED);
                out.println("  " + (hp ? "HP" : "LP") + " process: " + note);
            }
            if (line == null || !line.startsWith("ready ")) {
                throw new IOException("the " + (hp ? "HP" : "LP") + " process did not start (" + line + ")");
            }
            return line.substring("ready ".length());
        }

        /**
         * Ends the process if it still runs, and waits for it (a few seconds, then kills it). An
         * interrupt does not stop the cleanup: it kills the process at once and is returned, for the
         * caller to keep once every side is ended.
         *
         * @return whether the thread was interrupted meanwhile
         */
        boolean destroyIfAlive() {
            if (!process.isAlive()) {
                return false;
            }
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                return false;
            } catch (InterruptedException e) {
                process.destroyForcibly();
                return true;
            }
        }

        void start(long at) {
            PrintStream to = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            to.println("start " + at);
        }

        /**
         * Reads, within {@code limit}, the latencies into {@code into}, the HP breakdown's rows into
         * {@code rows} and the LP marks into {@code marks}; returns hpRequests, lpIterations, lpBatch.
         *
         * @param when how the failure's message says when the results were due, for example
         *             "within 120 s of the measured window's end"
         * @throws IOException when the process ended early, or did not report "done" within
         *                     {@code limit} (it is killed then)
         */
        long[] collect(Latencies into, List<RequestBreakdown.Row> rows, List<LpMarks.Mark> marks, Duration limit, String when)
                throws IOException, InterruptedException {
            return ProcessDeadline.within(process, limit, "the " + name() + " process did not report its results ('done') "
                    + when, () -> collect(into, rows, marks));
        }

        private long[] collect(Latencies into, List<RequestBreakdown.Row> rows, List<LpMarks.Mark> marks)
                throws IOException, InterruptedException {
            String line;
            while ((line = from.readLine()) != null) {
                if (line.startsWith("latency ")) {
                    into.add(Long.parseLong(line.substring(8)));
                } else if (line.startsWith(ScenarioProcess.BREAKDOWN)) {
                    rows.add(RequestBreakdown.Row.parse(line.substring(ScenarioProcess.BREAKDOWN.length())));
                } else if (line.startsWith(LpMarks.Mark.PREFIX)) {
                    marks.add(LpMarks.Mark.parse(line));
                } else if (line.startsWith("done ")) {
                    String[] f = line.split(" ");
                    awaitExit();
                    return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
                }
            }
            throw new IOException("the " + name() + " process ended early (" + awaitExit() + ")");
        }

        /**
         * Waits {@link #exitWithin} for the process to exit, and kills it if it has not: its
         * results are in (or its output ended), so a process stuck in its cleanup only costs a line.
         *
         * @return {@code exit N}, or what happened instead, for a message
         */
        String awaitExit() throws InterruptedException {
            if (process.waitFor(exitWithin.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return "exit " + process.exitValue();
            }
            process.destroyForcibly();
            String stuck = "did not exit within " + ProcessDeadline.describe(exitWithin) + " of its output's end; killed";
            System.err.println("xsched demo: the " + name() + " process " + stuck);
            return stuck;
        }
    }
}
