package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.reliability.ThreadDump;
import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.Stream;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one mode: a high-priority client at fixed arrival times (open loop: each latency counts
 * from the request's scheduled arrival, so a slow answer cannot hide the requests behind it) and a
 * low-priority loop of back-to-back forward passes, on the queues the mode prescribes.
 */
final class ModeRunner {
    private static final int HP_PRIORITY = 10;
    private static final int LP_PRIORITY = -10;

    private final Device device;
    private final InferenceModel hp;
    private final InferenceModel lp;
    private final ScenarioOptions options;
    private final PrintStream progress;
    private final java.util.function.Supplier<SocketTraffic> hpTraffic;
    /** Whether {@code xsched-hpf} arms the online queue's {@link StopOnReady}. */
    private final boolean stopOnReady;
    private final List<RequestBreakdown.Row> breakdown = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * A runner without the stop on turning ready: the scenario's other users (the BLAS example,
     * whose batch job's cuBLAS calls may load modules or free memory outside hip-ffm, which a wait
     * pending on a stop word would hold up; {@link dev.xsched.core.XQueue#armRemoteStop}).
     */
    ModeRunner(Device device, InferenceModel hp, InferenceModel lp, ScenarioOptions options, PrintStream progress) {
        this(device, hp, lp, options, progress, () -> SocketTraffic.NONE, false);
    }

    /**
     * @param hpTraffic   the HP process's traffic to the scheduler server, counted per request (two processes)
     * @param stopOnReady whether {@code xsched-hpf} arms the online queue's {@link StopOnReady} (the
     *                    demo in one process, whose kernels all go through hip-ffm)
     */
    ModeRunner(Device device, InferenceModel hp, InferenceModel lp, ScenarioOptions options, PrintStream progress,
               java.util.function.Supplier<SocketTraffic> hpTraffic, boolean stopOnReady) {
        this.hpTraffic = hpTraffic;
        this.stopOnReady = stopOnReady;
        this.device = device;
        this.hp = hp;
        this.lp = lp;
        this.options = options;
        this.progress = progress;
    }

    ModeResult run(Mode mode) throws InterruptedException {
        PriorityRange range = device.streamPriorityRange();
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            return switch (mode) {
                case Mode.Standalone alone -> {
                    Stream stream = device.createStream(range.least());
                    resources.add(stream);
                    yield alone.job() == Mode.Job.HP ? measure(mode, stream, null, false) : measure(mode, null, stream, false);
                }
                case Mode.Native plain -> {
                    Stream hpStream = device.createStream(plain.streamPriorities() ? range.greatest() : range.least());
                    resources.add(hpStream);
                    Stream lpStream = device.createStream(range.least());
                    resources.add(lpStream);
                    yield measure(mode, hpStream, lpStream, false);
                }
                case Mode.Scheduled scheduled -> {
                    XScheduler scheduler = XScheduler.builder().name("scenario-" + mode).policy(scheduled.policy())
                            .decideOnSubmit(options.decideOnSubmit()).build();
                    resources.add(scheduler);
                    XQueue hpX = hpQueue(scheduler, device, options);
                    HpOnly hpOnly = HpOnly.fromProperty();
                    if (hpOnly.on()) {
                        progress.println("  " + hpOnly.note());
                        yield measure(mode, hpX, null, true);
                    }
                    XQueue lpX = lpQueue(scheduler, device, options);
                    if (options.deviceGate()) {
                        progress.println("  " + warmBeforeTheGateCanClose(lp, lpX));
                    }
                    if (stopOnReady && scheduled.policy().equals("hpf")) {
                        progress.println("  " + armStopOnReady(hpX, lpX, resources, StopOnReady.nextPath()));
                    }
                    yield measure(mode, hpX, lpX, true);
                }
            };
        } finally {
            for (int i = resources.size() - 1; i >= 0; i--) {
                try {
                    resources.get(i).close();
                } catch (Exception e) {
                    progress.println("  warning: closing " + resources.get(i) + " failed: " + e);
                }
            }
        }
    }

    /**
     * Runs the batch model once on its gated queue while nothing can suspend it (the online model
     * has not started), so that no first call of any of its kernels is ever made behind a raised
     * device gate. A first call may make the driver or a library wait for the whole device (CUDA
     * loads kernels lazily; cuBLAS sets up a stream's workspace), and behind a raised gate that
     * wait never ends, since the gate opens only once the online request completes. Round 14's
     * gated GEMM job at 16 panels, a shape no earlier mode had run, hung on the H200 from its
     * first request, most likely so.
     *
     * @return what was done and how long it took, a sentence for the run's output
     */
    static String warmBeforeTheGateCanClose(InferenceModel lp, CommandQueue lpQueue) {
        long start = System.nanoTime();
        lp.forwardPreemptible(lpQueue);
        lpQueue.synchronize();
        return String.format(Locale.ROOT, "ran the batch model once on its gated queue before the online model starts (%.1f ms)",
                (System.nanoTime() - start) / 1e6);
    }

    /**
     * Arms the online queue's stop on turning ready ({@link StopOnReady}) with a file at
     * {@code path}, adding it to {@code resources}; where the file cannot be made (no room in
     * {@code /dev/shm}, a name taken), the mode runs without it, as the scheduler alone would run it.
     *
     * @return what the output says of it, one line
     */
    static String armStopOnReady(XQueue online, XQueue batch, List<AutoCloseable> resources, Path path) {
        try {
            Optional<StopOnReady> stop = StopOnReady.arm(online, batch, path);
            stop.ifPresent(resources::add);
            return stop.isPresent() ? StopOnReady.note() : StopOnReady.unsupportedNote();
        } catch (UncheckedIOException e) {
            return "the online queue's stop on turning ready is off: " + e.getMessage() + " (" + e.getCause() + ")";
        }
    }

    /** The scheduled HP queue of the scenario (also one process's queue in {@code --processes 2}). */
    static XQueue hpQueue(XScheduler scheduler, Device device, ScenarioOptions options) {
        PriorityRange range = device.streamPriorityRange();
        int hpStream = options.hwPriority() ? range.greatest() : range.least();
        XQueue hpX = scheduler.createQueue(device, hpStream, HpQueueSettings.fromProperties().config());
        return hpX.hint(new Hint.Priority(HP_PRIORITY)).hint(new Hint.Deadline(secondsToNanos(1.0 / options.rate())))
                .hint(new Hint.Utilization(50)).hint(new Hint.Weight(4096));
    }

    /** The scheduled LP queue of the scenario. */
    static XQueue lpQueue(XScheduler scheduler, Device device, ScenarioOptions options) {
        XQueue lpX = scheduler.createQueue(device, device.streamPriorityRange().least(),
                new XQueueConfig("lp-resnet50", options.threshold(), options.batchSize()).withDeviceGate(options.deviceGate()));
        return lpX.hint(new Hint.Priority(LP_PRIORITY)).hint(new Hint.Utilization(50)).hint(new Hint.Weight(256));
    }

    private ModeResult measure(Mode mode, CommandQueue hpQueue, CommandQueue lpQueue, boolean scheduled)
            throws InterruptedException {
        return measure(mode, hpQueue, lpQueue, scheduled, System.nanoTime() + 10_000_000L);
    }

    /**
     * Measures from {@code start} ({@link System#nanoTime()}, one clock for every process of the
     * host, so two processes measure the same windows); a side whose queue is null does not run.
     */
    ModeResult measure(Mode mode, CommandQueue hpQueue, CommandQueue lpQueue, boolean scheduled, long start)
            throws InterruptedException {
        long warmupNanos = secondsToNanos(options.warmup());
        long windowNanos = secondsToNanos(options.seconds());
        long measureFrom = start + warmupNanos;
        long measureTo = measureFrom + windowNanos;
        long measureFromEpochMillis = System.currentTimeMillis() + (measureFrom - System.nanoTime()) / 1_000_000;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lpCount = new AtomicLong();
        Latencies latencies = new Latencies();
        AtomicLong hpCount = new AtomicLong();
        AtomicLong completions = new AtomicLong(); // warm-up included: what the stall watch looks at
        AtomicLong unserved = new AtomicLong();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        // Before any thread starts: a bad property value fails the mode with nothing to stop.
        Optional<CacheFlush> flush = hpQueue != null ? CacheFlush.fromProperty(device) : Optional.empty();
        flush.ifPresent(f -> progress.println("  " + f.note()));
        if (scheduled && hpQueue != null) {
            progress.println("  " + HpQueueSettings.fromProperties().note());
        }
        ArrivalWait arrivals = ArrivalWait.fromProperty();
        if (hpQueue != null && arrivals.spinMicros() != ArrivalWait.DEFAULT_SPIN_MICROS) {
            progress.println("  " + arrivals.note());
        }

        Thread lpThread = null;
        if (lpQueue != null) {
            CommandQueue q = lpQueue;
            lpThread = Thread.ofPlatform().name("scenario-lp").start(() -> {
                try {
                    while (!stop.get()) {
                        if (scheduled) {
                            lp.forwardPreemptible(q);
                        } else {
                            lp.forward(q);
                        }
                        q.synchronize();
                        completions.incrementAndGet();
                        long done = System.nanoTime();
                        if (done >= measureFrom && done <= measureTo) {
                            lpCount.incrementAndGet();
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
        }
        Thread hpThread = null;
        if (hpQueue != null) {
            CommandQueue q = hpQueue;
            long period = period(options);
            XQueue lpX = lpQueue instanceof XQueue x ? x : null;
            hpThread = Thread.ofPlatform().name("scenario-hp").start(() -> {
                try (RequestBreakdown requests = new RequestBreakdown(mode.label(), device, q, lpX, hpTraffic, measureFrom)) {
                    for (long i = 0; ; i++) {
                        long arrival = start + i * period;
                        if (arrival >= measureTo) {
                            break;
                        }
                        if (stop.get()) {
                            // The window is over and requests that arrived in it are still waiting
                            // to be submitted: the rate is more than this model serves. Every
                            // measured request counts however late it ends; these never started.
                            unserved.set(arrivalsBetween(Math.max(arrival, measureFrom), measureTo, start, period));
                            break;
                        }
                        if (flush.isPresent()) {
                            flush.get().before(q, i);
                        }
                        long done = requests.request(arrival, arrivals, () -> hp.forward(q));
                        completions.incrementAndGet();
                        // By arrival, not by end: a request that arrived in the window and ended
                        // after it is one of the slowest, and leaving it out would flatter the tail.
                        if (arrival >= measureFrom) {
                            latencies.add(done - arrival);
                            hpCount.incrementAndGet();
                            requests.keep();
                        }
                    }
                    breakdown.addAll(requests.rows());
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    flush.ifPresent(CacheFlush::close);
                }
            });
        }
        StallWatch stall = new StallWatch(completions::get, System::nanoTime, StallWatch.DEFAULT_LIMIT, ThreadDump::take);
        reportProgress(mode, start, measureFrom, measureTo, hpCount, lpCount, failures, stall);
        stop.set(true);
        joinWatching(hpThread, stall);
        joinWatching(lpThread, stall);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("mode " + mode + " failed: " + failures.getFirst(), failures.getFirst());
        }
        if (unserved.get() > 0) {
            progress.printf(Locale.ROOT, "  %s: %d requests that arrived in the window were never submitted: %.0f requests/s"
                    + " is more than the online model serves here, and its figures cover only the %d served%n",
                    mode, unserved.get(), options.rate(), hpCount.get());
            progress.flush();
        }
        double seconds = options.seconds();
        long lpIterations = lpCount.get();
        return new ModeResult(mode, latencies, hpCount.get(), hpCount.get() / seconds, lpIterations,
                lpIterations / seconds, lpQueue == null ? 0 : lpIterations * (double) lp.batch() / seconds, seconds,
                measureFromEpochMillis);
    }

    /** Nanoseconds between HP arrivals: arrival i is at start + i * period. */
    static long period(ScenarioOptions options) {
        return (long) (1e9 / options.rate());
    }

    /** How many of the arrivals start + i * period (i >= 0) fall in [from, to). */
    static long arrivalsBetween(long from, long to, long start, long period) {
        long first = Math.max(0, Math.ceilDiv(from - start, period));
        long end = Math.max(0, Math.ceilDiv(to - start, period));
        return Math.max(0, end - first);
    }

    /** Every measured HP request of the modes run so far, in order ({@link RequestBreakdown}). */
    List<RequestBreakdown.Row> breakdown() {
        return List.copyOf(breakdown);
    }

    private void reportProgress(Mode mode, long start, long measureFrom, long measureTo, AtomicLong hp, AtomicLong lp,
                                List<Throwable> failures, StallWatch stall) {
        long next = start;
        while (System.nanoTime() < measureTo && failures.isEmpty()) {
            next += 5_000_000_000L;
            waitUntil(Math.min(next, measureTo));
            long now = System.nanoTime();
            String phase = now < measureFrom ? "warm-up" : String.format("%4.0f/%.0f s", (now - measureFrom) / 1e9, options.seconds());
            // One write per line: in `demo --processes 2` both processes print to one pipe, and
            // printf's separate writes of each field interleaved their lines.
            progress.print(String.format(Locale.ROOT, "  %-16s %-12s HP requests %5d, LP iterations %4d%n",
                    mode, phase, hp.get(), lp.get()));
            stall.check().ifPresent(progress::print);
            progress.flush();
        }
    }

    /** Joins {@code thread} (nothing if null), reporting a stall if its last iteration hangs. */
    private void joinWatching(Thread thread, StallWatch stall) throws InterruptedException {
        while (thread != null && !thread.join(Duration.ofSeconds(5))) {
            stall.check().ifPresent(report -> {
                progress.print(report);
                progress.flush();
            });
        }
    }

    private static void waitUntil(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }

    static long secondsToNanos(double seconds) {
        return (long) (seconds * 1e9);
    }
}
