package dev.xsched.examples.bench;

import dev.xsched.core.policy.Hint;
import dev.xsched.examples.config.BooleanProperty;
import dev.xsched.examples.scenario.ArrivalWait;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.Event;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code xsched bench policies}: what hardware stream priorities cannot give, measured with
 * synthetic kernels of controlled length ({@link SpinKernel}) on the chosen platform's device 0, or
 * on a simulated device in real time when there is no GPU.
 * <ul>
 *   <li><b>partition</b>: two always-busy jobs of equal kernels with utilization hints 75 and 25;
 *       native (two equal streams), native-priority (job A on the greatest stream priority) and
 *       xsched-up. Goal: up's shares within 3 points of 75/25, total throughput at least 97% of
 *       native's.</li>
 *   <li><b>fair</b>: the same jobs with weights 2048 and 1024 under xsched-cfs. Goal: A/B within
 *       5% of 2.</li>
 *   <li><b>deadline</b>: three periodic tasks (different periods, kernel lengths and relative
 *       deadlines, about 80% load) under native, native-priority (deadline-monotonic stream
 *       priorities), xsched-fifo and xsched-kedf. Goal: no misses under kedf where fifo and native
 *       miss.</li>
 * </ul>
 * The share method: every job keeps its queue busy with chunks of {@value #CHUNK} kernels, at most
 * {@value #DEPTH} chunks outstanding, an event recorded after each chunk; the host timestamps each
 * chunk's completion. A job's GPU time is its completed kernels times the kernel's standalone
 * time, its share its kernels over all kernels; shares over time per 100 ms window.
 */
public final class PolicyBenchmark {
    static final int CHUNK = 2;
    static final int DEPTH = 3;
    static final long WINDOW_NANOS = 100_000_000L;
    /**
     * The in-flight threshold of the share jobs' XQueues. A record counts against it like a kernel:
     * at 2, a job left [kernel, record] in flight after each chunk's first kernel, so the device
     * idled at the end of that kernel until its completion was seen and the next one released: a
     * gap per chunk wherever one queue runs alone (up and cfs, both at about 95% of native on the
     * H200 at threshold 2; fifo and native, where both queues run, fill each other's gaps). At
     * {@code CHUNK + 1} the next kernel is always queued, and a tail is still at most
     * {@value #CHUNK} kernels ({@code UpThroughputProofTest} in xsched-policies).
     */
    static final int SHARE_THRESHOLD = CHUNK + 1;
    /** The deadline tasks' XQueues keep one kernel in flight: a suspended task blocks others by one kernel at most. */
    static final int DEADLINE_THRESHOLD = 1;
    /** How a deadline task's thread waits for a release: parks until 0.3 ms before it, spins the rest (as the demo's client does). */
    static final ArrivalWait RELEASE_WAIT = new ArrivalWait(300_000);
    /**
     * Whether the deadline tasks' XQueues sit on streams ranked by deadline (A's the greatest
     * priority), so that a kernel released for an earlier deadline overtakes one released for a
     * later deadline that is still queued on the device ({@code KedfPolicy}'s hand-over note).
     * On by default since round 9 on the H200 (2026-12-02, kedf, 20 s each, alternating: 2 and 5
     * misses ranked, 34 and 32 on least-priority streams); {@code -Dxsched.bench.deadlineRankedStreams=false}
     * puts them all at the least priority as before.
     */
    static final String DEADLINE_RANKED_STREAMS_PROPERTY = "xsched.bench.deadlineRankedStreams";
    /** How long after the measured interval a run may take to wind down before it is cut off. */
    private static final long GRACE_NANOS = 3_000_000_000L;

    static final List<Mode> SHARE_BASELINES = List.of(Mode.NATIVE, Mode.NATIVE_PRIORITY);

    /** A periodic task: every {@code periodMs}, {@code kernels} kernels of {@code kernelMs}, due {@code deadlineMs} after release. */
    record Task(String name, double periodMs, int kernels, double kernelMs, double deadlineMs, double phaseMs) {
        double load() {
            return kernels * kernelMs / periodMs;
        }
    }

    /** The deadline task set: 20% + 30% + 30% = 80% load; C is released first at common instants. */
    static final List<Task> TASKS = List.of(
            new Task("A", 10, 4, 0.5, 6, 0.4),
            new Task("B", 20, 6, 1.0, 15, 0.2),
            new Task("C", 100, 15, 2.0, 100, 0.0));

    /** One share run. */
    record ShareRun(Mode mode, ShareAccounting shares, double kernelMs) {
    }

    /**
     * One mode's deadline run (per task in {@link #TASKS} order); per task, per measured instance:
     * its release (from the measured window's start), its response (or
     * {@link DeadlineAccounting#NOT_COMPLETED}), the garbage collections that fell between its
     * release and its completion, and the time the task's thread was runnable but not running
     * from the end of its previous instance to the end of this one (milliseconds, NaN where unknown: {@link RunQueueWait}), and the time from just
     * before its release to its end in which the thread kept its CPU and still did not run
     * (milliseconds, NaN where unknown or where the thread was switched out: {@link ThreadTimes});
     * a host pause or a host short of CPUs misses deadlines whatever the policy does.
     */
    record DeadlineRun(Mode mode, List<DeadlineAccounting> tasks, List<long[]> releases, List<long[]> responses,
                       List<GcCounters[]> gcs, List<double[]> runQueues, List<double[]> offCpus) {
        /** A run whose run-queue waits and time off the CPU are unknown. */
        DeadlineRun(Mode mode, List<DeadlineAccounting> tasks, List<long[]> releases, List<long[]> responses,
                    List<GcCounters[]> gcs) {
            this(mode, tasks, releases, responses, gcs, releases.stream().map(r -> unknownMillis(r.length)).toList(),
                    releases.stream().map(r -> unknownMillis(r.length)).toList());
        }
    }

    /** What a whole run measured, for tests. */
    record Summary(Map<String, List<ShareRun>> shares, List<DeadlineRun> deadline) {
    }

    private final Device device;
    private final PolicyOptions options;
    private final PrintStream out;
    private final String platformLine;
    private final Map<Mode, ShareRun> baselineCache = new LinkedHashMap<>();

    private PolicyBenchmark(Device device, PolicyOptions options, PrintStream out, String platformLine) {
        this.device = device;
        this.options = options;
        this.out = out;
        this.platformLine = platformLine;
    }

    /** Runs the benchmarks {@code options} name on the chosen platform's device 0, or on the simulated one. */
    public static void run(PolicyOptions options, PrintStream out) throws IOException, InterruptedException {
        HipPlatform platform = Hip.platformOrSimulator();
        if (platform.isSimulated()) {
            try (SimulatedPlatform sim = simulated()) {
                run(options, sim, out);
            }
        } else {
            if (platform.deviceCount() == 0) {
                throw new IllegalStateException("platform " + platform.name() + " has no device: "
                        + platform.noDeviceReason().orElse("no reason given"));
            }
            run(options, platform, out);
        }
    }

    /** The simulated device the benchmark uses without a GPU: 16 block slots, hardware priorities, real time. */
    static SimulatedPlatform simulated() {
        return SimulatedPlatform.builder().realTime().computeUnits(16).hardwarePriority(true).priorityRange(0, -5).build();
    }

    static Summary run(PolicyOptions options, HipPlatform platform, PrintStream out) throws IOException, InterruptedException {
        Device device = platform.device(0);
        String line = "platform " + platform.name() + ", device " + device.name() + " (" + device.architecture() + ")"
                + (platform.isSimulated() ? " [SIMULATED: kernels last their given durations, in real time]" : "");
        out.println(line);
        out.println("host: " + HostCpu.now().describe("so far"));
        java.nio.file.Files.createDirectories(options.output());
        PolicyBenchmark bench = new PolicyBenchmark(device, options, out, line);
        Map<String, List<ShareRun>> shares = new LinkedHashMap<>();
        List<DeadlineRun> deadline = List.of();
        try (SpinKernel spin = new SpinKernel(device)) {
            out.println(spin.describe());
            for (String name : options.only()) {
                switch (name) {
                    case "partition" -> shares.put(name, bench.shareBenchmark(spin, name, Mode.xsched("up"),
                            List.of(List.of(new Hint.Utilization(75)), List.of(new Hint.Utilization(25)))));
                    case "fair" -> shares.put(name, bench.shareBenchmark(spin, name, Mode.xsched("cfs"),
                            List.of(List.of(new Hint.Weight(2048)), List.of(new Hint.Weight(1024)))));
                    case "deadline" -> deadline = bench.deadlineBenchmark(spin);
                    case "priority" -> bench.priorityBenchmark();
                    default -> throw new IllegalStateException(name);
                }
            }
        }
        out.println("results in " + options.output().toAbsolutePath());
        return new Summary(shares, deadline);
    }

    // ---------------------------------------------------------------- priority

    /**
     * ResNet-18 (batch 1, 20 requests/s) against ResNet-50 (batch 1024) under HPF and under stream
     * priorities alone: the scenario of {@code xsched demo}, in the modes this comparison needs.
     */
    private void priorityBenchmark() throws IOException, InterruptedException {
        out.println();
        out.println("== priority: ResNet-18 at 20 req/s beside ResNet-50, xsched-hpf vs native-priority ==");
        var f = dev.xsched.examples.scenario.ScenarioBenchmark.priorityBenchmark(options.seconds(), options.warmup(),
                options.output().resolve("priority"), out);
        boolean met = f.hpP99Hpf() <= 1.1 * f.hpP99Standalone() && f.lpHpf() >= 0.95 * f.lpStandalone();
        out.printf(java.util.Locale.ROOT, "goal (HP P99 <= 1.1x standalone, LP >= 95%% of standalone): %s "
                        + "(xsched-hpf: HP P99 %.2fx, LP %.1f%%; native-priority: HP P99 %.2fx, LP %.1f%%)%n",
                met ? "MET" : "NOT MET", f.hpP99Hpf() / f.hpP99Standalone(), 100 * f.lpHpf() / f.lpStandalone(),
                f.hpP99NativePriority() / f.hpP99Standalone(), 100 * f.lpNativePriority() / f.lpStandalone());
    }

    // ---------------------------------------------------------------- shares

    private List<ShareRun> shareBenchmark(SpinKernel spin, String bench, Mode policyMode, List<List<Hint>> hints)
            throws IOException, InterruptedException {
        out.println();
        out.println("== " + bench + ": two always-busy jobs, " + policyMode + " vs native and native-priority ==");
        SpinKernel.Launch launch = spin.launch(options.kernelMs());
        out.printf(java.util.Locale.ROOT, "kernel: nominal %.3f ms, measured alone %.3f ms%n", launch.nominalMs(), launch.standaloneMs());
        List<ShareRun> runs = new ArrayList<>();
        List<Mode> modes = new ArrayList<>(SHARE_BASELINES);
        modes.add(policyMode);
        modes.removeIf(mode -> !options.runs(mode));
        if (modes.isEmpty()) {
            out.println("  skipped: --modes names none of " + SHARE_BASELINES + " and " + policyMode);
            return runs;
        }
        for (Mode mode : modes) {
            ShareRun cached = baselineCache.get(mode);
            if (cached != null) {
                out.println("  " + mode + ": same jobs as before (hints do not reach plain streams): reusing that run");
                runs.add(cached);
                continue;
            }
            ShareRun run = shareRun(mode, launch, hints);
            if (SHARE_BASELINES.contains(mode)) {
                baselineCache.put(mode, run);
            }
            runs.add(run);
        }
        PolicyReport.shareTable(bench, runs, platformLine, out);
        PolicyReport.shareFiles(bench, runs, options, platformLine, options.output());
        PolicyCharts.tryDraw(options.output(), bench, out);
        return runs;
    }

    private ShareRun shareRun(Mode mode, SpinKernel.Launch launch, List<List<Hint>> hints) throws InterruptedException {
        out.printf("  %-18s running %.1f s (+%.1f s warm-up) ...%n", mode, options.seconds(), options.warmup());
        long start = System.nanoTime() + 10_000_000L;
        long from = start + nanos(options.warmup());
        long to = from + nanos(options.seconds());
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<long[]> completions = new ArrayList<>();
        try (BenchQueues queues = new BenchQueues(device, mode, hints, SHARE_THRESHOLD, 1)) {
            List<Thread> threads = new ArrayList<>();
            List<List<Long>> times = new ArrayList<>();
            for (int j = 0; j < queues.queues.size(); j++) {
                CommandQueue q = queues.queues.get(j);
                List<Long> mine = new ArrayList<>();
                times.add(mine);
                threads.add(Thread.ofPlatform().name("policybench-job-" + j).start(() -> {
                    try {
                        busyJob(q, launch, start, stop, mine);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            waitUntil(to, failures);
            stop.set(true);
            joinAll(threads, mode);
            if (!failures.isEmpty()) {
                throw new IllegalStateException("mode " + mode + " failed: " + failures.getFirst(), failures.getFirst());
            }
            for (List<Long> t : times) {
                completions.add(t.stream().mapToLong(Long::longValue).toArray());
            }
        }
        return new ShareRun(mode, new ShareAccounting(completions, CHUNK, from, to, WINDOW_NANOS), launch.standaloneMs());
    }

    /** Keeps {@code q} busy until {@code stop}: chunks of kernels, an event after each, {@value #DEPTH} chunks outstanding. */
    private void busyJob(CommandQueue q, SpinKernel.Launch launch, long start, AtomicBoolean stop, List<Long> completions) {
        Event[] events = new Event[DEPTH];
        for (int i = 0; i < DEPTH; i++) {
            events[i] = device.createEvent();
        }
        try {
            waitUntil(start, List.of());
            for (long i = 0; !stop.get(); i++) {
                int slot = (int) (i % DEPTH);
                if (i >= DEPTH) {
                    BenchQueues.await(q, events[slot]);
                    completions.add(System.nanoTime());
                }
                for (int k = 0; k < CHUNK; k++) {
                    q.launch(launch.kernel(), launch.config(), launch.args());
                }
                q.record(events[slot]);
            }
            q.synchronize();
        } finally {
            for (Event e : events) {
                e.close();
            }
        }
    }

    // ---------------------------------------------------------------- deadlines

    private List<DeadlineRun> deadlineBenchmark(SpinKernel spin) throws IOException, InterruptedException {
        out.println();
        out.println("== deadline: three periodic tasks (about 80% load), xsched-kedf vs xsched-fifo, native and native-priority ==");
        List<SpinKernel.Launch> launches = new ArrayList<>();
        double load = 0;
        for (Task t : TASKS) {
            SpinKernel.Launch l = spin.launch(t.kernelMs());
            launches.add(l);
            load += t.kernels() * l.standaloneMs() / t.periodMs();
            out.printf(java.util.Locale.ROOT, "task %s: every %.0f ms %d kernels of %.2f ms (measured alone %.3f ms), deadline %.0f ms, load %.0f%%%n",
                    t.name(), t.periodMs(), t.kernels(), t.kernelMs(), l.standaloneMs(), t.deadlineMs(),
                    100 * t.kernels() * l.standaloneMs() / t.periodMs());
        }
        out.printf(java.util.Locale.ROOT, "total load %.0f%% (from the measured kernel times)%n", 100 * load);
        out.println("xsched modes: each task's XQueue at threshold 1, its thread polling up to its deadline, on "
                + (deadlineRankedStreams() ? "streams ranked by deadline (A's the greatest priority)" : "least-priority streams"));
        List<DeadlineRun> runs = new ArrayList<>();
        List<Mode> modes = new ArrayList<>(List.of(Mode.NATIVE, Mode.NATIVE_PRIORITY, Mode.xsched("fifo"), Mode.xsched("kedf")));
        modes.removeIf(mode -> !options.runs(mode));
        if (modes.isEmpty()) {
            out.println("  skipped: --modes names none of native, native-priority, xsched-fifo, xsched-kedf");
            return runs;
        }
        for (Mode mode : modes) {
            HostCpu before = HostCpu.now();
            runs.add(deadlineRun(mode, launches));
            // A container out of its CPU quota stops the task threads until the next period.
            out.println("  host: " + HostCpu.now().since(before).throttling("during this mode"));
        }
        PolicyReport.deadlineTable(runs, platformLine, out);
        PolicyReport.deadlineFiles(runs, load, options, platformLine, options.output());
        PolicyCharts.tryDraw(options.output(), "deadline", out);
        return runs;
    }

    private DeadlineRun deadlineRun(Mode mode, List<SpinKernel.Launch> launches) throws InterruptedException {
        out.printf("  %-18s running %.1f s (+%.1f s warm-up) ...%n", mode, options.seconds(), options.warmup());
        long start = System.nanoTime() + 10_000_000L;
        long from = start + nanos(options.warmup());
        long to = from + nanos(options.seconds());
        long hardEnd = to + GRACE_NANOS;
        List<List<Hint>> hints = TASKS.stream().map(t -> List.<Hint>of(new Hint.Deadline(nanos(t.deadlineMs() / 1e3)))).toList();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<long[]> releases = new ArrayList<>();
        List<long[]> responses = new ArrayList<>();
        List<GcCounters[]> gcs = new ArrayList<>();
        List<double[]> runQueues = new ArrayList<>();
        List<double[]> offCpus = new ArrayList<>();
        // A task's thread polls its queue for up to its deadline, as a real-time task would (and as
        // a plain stream's synchronize does under the driver's default scheduling): at threshold 1
        // a blocking wait put a wake-up between every two kernels.
        List<Duration> spins = TASKS.stream().map(t -> Duration.ofNanos(nanos(t.deadlineMs() / 1e3))).toList();
        try (BenchQueues queues = new BenchQueues(device, mode, hints, DEADLINE_THRESHOLD, 1, spins, deadlineRankedStreams())) {
            List<Thread> threads = new ArrayList<>();
            List<long[][]> results = new ArrayList<>();
            for (int i = 0; i < TASKS.size(); i++) {
                Task task = TASKS.get(i);
                CommandQueue q = queues.queues.get(i);
                SpinKernel.Launch l = launches.get(i);
                long period = nanos(task.periodMs() / 1e3);
                long phase = nanos(task.phaseMs() / 1e3);
                // Instances released in [from, to): their scheduled releases, and responses filled in as they complete.
                List<Long> rel = new ArrayList<>();
                for (long r = start + phase; r < to; r += period) {
                    if (r >= from) {
                        rel.add(r);
                    }
                }
                long[] releaseTimes = rel.stream().mapToLong(Long::longValue).toArray();
                long[] response = new long[releaseTimes.length];
                java.util.Arrays.fill(response, DeadlineAccounting.NOT_COMPLETED);
                results.add(new long[][] {releaseTimes, response});
                GcCounters[] gc = new GcCounters[releaseTimes.length];
                gcs.add(gc);
                double[] runQueue = unknownMillis(releaseTimes.length);
                runQueues.add(runQueue);
                double[] offCpu = unknownMillis(releaseTimes.length);
                offCpus.add(offCpu);
                threads.add(Thread.ofPlatform().name("policybench-task-" + task.name()).start(() -> {
                    try (ThreadTimes times = ThreadTimes.ofCurrentThread()) {
                        int measured = 0;
                        ThreadTimes.Sample previous = times.sampleAfter();
                        for (long r = start + phase; r < to; r += period) {
                            // Park until shortly before the release, then spin to it: a park alone
                            // oversleeps by a timer's slack and a wake-up, counted in the response.
                            RELEASE_WAIT.park(r);
                            ThreadTimes.Sample spinFrom = times.sample();
                            RELEASE_WAIT.spin(r);
                            if (System.nanoTime() > hardEnd) {
                                break;
                            }
                            GcCounters gcBefore = GcCounters.now();
                            for (int k = 0; k < task.kernels(); k++) {
                                q.launch(l.kernel(), l.config(), l.args());
                            }
                            q.synchronize();
                            long done = System.nanoTime();
                            ThreadTimes.Sample after = times.sampleAfter(); // after done: not part of the response
                            if (r >= from) {
                                gc[measured] = GcCounters.now().since(gcBefore);
                                runQueue[measured] = previous.runQueueMillisUntil(after);
                                offCpu[measured] = spinFrom.offCpuMillisUntil(after);
                                response[measured++] = done - r;
                            }
                            previous = after;
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            waitUntil(to, failures);
            joinAll(threads, mode);
            if (!failures.isEmpty()) {
                throw new IllegalStateException("mode " + mode + " failed: " + failures.getFirst(), failures.getFirst());
            }
            for (long[][] r : results) {
                releases.add(java.util.Arrays.stream(r[0]).map(t -> t - from).toArray());
                responses.add(r[1]);
            }
        }
        List<DeadlineAccounting> tasks = new ArrayList<>();
        for (int i = 0; i < TASKS.size(); i++) {
            tasks.add(new DeadlineAccounting(nanos(TASKS.get(i).deadlineMs() / 1e3), responses.get(i)));
        }
        return new DeadlineRun(mode, tasks, releases, responses, gcs, runQueues, offCpus);
    }

    // ---------------------------------------------------------------- helpers

    /** A host figure (run-queue wait, time off the CPU) of {@code n} instances, each unknown (NaN) until measured. */
    static double[] unknownMillis(int n) {
        double[] waits = new double[n];
        java.util.Arrays.fill(waits, Double.NaN);
        return waits;
    }

    /** {@value #DEADLINE_RANKED_STREAMS_PROPERTY}, true when unset. */
    static boolean deadlineRankedStreams() {
        return BooleanProperty.read(DEADLINE_RANKED_STREAMS_PROPERTY, true);
    }

    private static void joinAll(List<Thread> threads, Mode mode) throws InterruptedException {
        long limit = System.nanoTime() + GRACE_NANOS + 10_000_000_000L;
        for (Thread t : threads) {
            long left = limit - System.nanoTime();
            if (left <= 0 || !t.join(java.time.Duration.ofNanos(left))) {
                throw new IllegalStateException("mode " + mode + ": " + t.getName() + " did not finish in time");
            }
        }
    }

    private static void waitUntil(long deadline, List<Throwable> failures) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0 && failures.isEmpty()) {
            LockSupport.parkNanos(Math.min(remaining, 50_000_000L));
        }
    }

    static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }
}
