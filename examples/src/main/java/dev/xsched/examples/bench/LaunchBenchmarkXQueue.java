package dev.xsched.examples.bench;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XQueueStats;
import dev.xsched.core.XScheduler;
import dev.xsched.examples.config.IdlePollMicros;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The XQueue rows of {@code xsched bench launch}: what an {@link XQueue} adds to a plain stream of
 * the same hardware priority, on the online path and for back-to-back work.
 * <ul>
 *   <li>synchronous round trip (launch, then {@code synchronize()}) of one single-block kernel,
 *       empty and of about 20 us, through a stream and through an XQueue: P50, P99 and max over
 *       the benchmark's iterations after its warm-up, and of the launch call alone within it (so
 *       that what the queue adds splits into the submitting call and the wait); and through the
 *       stream with the XQueue's way of waiting, without the queue: an event recorded after the
 *       kernel and polled until complete (so that the wait's part splits into the way of noticing
 *       the completion and the queue's bookkeeping around it); and the empty kernel's XQueue launch
 *       call split at the native launch ({@link LaunchCallSplit}), and its {@code synchronize()}
 *       at its sync point ({@link SynchronizeSplit});</li>
 *   <li>back-to-back: the benchmark's number of launches, then one synchronize, empty and of about
 *       5 us, XQueue time over stream time: the median of {@code --rounds} rounds, each timing both
 *       one after the other.</li>
 * </ul>
 * The XQueue uses the benchmark's threshold, batch size and drain budget (by default the queue's:
 * up to 64/32, moved by a 500 us budget) under a scheduler with the pass-through policy: the cost
 * of the queue's machinery, not of a policy's decisions. The timed kernel spins on
 * {@code clock64()} for the device's nominal clock rate times its length (the stream's round trip
 * shows how long it really takes); on the simulator it lasts exactly that long.
 */
final class LaunchBenchmarkXQueue {
    static final String SPIN_SOURCE = """
            extern "C" __global__ void spin_cycles(long long cycles) {
                long long start = clock64();
                while (clock64() - start < cycles) { }
            }
            """;

    /** One kind of launch: a single block of one warp. */
    record TimedKernel(String label, Kernel kernel, KernelArgs args) {
        static final LaunchConfig ONE_BLOCK = LaunchConfig.of(1, 32);

        void launchOn(CommandQueue queue) {
            queue.launch(kernel, ONE_BLOCK, args);
        }
    }

    /**
     * One kernel's round trips through the stream and the XQueue (each whole and its launch call
     * alone; the rest of each round trip is its {@code synchronize()}); {@code streamEventPolled}:
     * through the stream waiting on a polled event made with {@code BLOCKING_SYNC} (the XQueue's
     * sync points until round 49); {@code streamPlainEventPolled}: the same with an event made
     * without it (the XQueue's sync points since), which tells the flag's cost apart from the
     * polling's. The polled rows' queries per round trip tell a wait that ends late after many
     * quick queries (the device's or the driver's lateness) from one after few slow queries (the
     * query's own cost).
     */
    record RoundTrip(String kernel, RoundTrips stream, RoundTrips xqueue, PolledRoundTrips streamEventPolled,
                     PolledRoundTrips streamPlainEventPolled) {
    }

    /** Round trips waited on by polling an event: their times, and the mean number of queries each made. */
    record PolledRoundTrips(LatencyStats whole, double queriesPerRoundTrip) {
    }

    /**
     * A queue's round trips: whole, and the launch call alone within each; {@code gc}: the JVM's
     * collection pauses while they ran, so that a max that is a pause says so (round 58: each
     * XQueue row's one 6-18 ms round trip was G1's first young collection of the JVM).
     */
    record RoundTrips(LatencyStats whole, LatencyStats launchCall, GcCounters gc) {
    }

    /**
     * One kernel's back-to-back rounds: {@code launches} launches then one synchronize, through the
     * stream and through the XQueue in each round (seconds, round by round, in the same order).
     * The ratio is the median of the rounds' ratios: each round's pair ran seconds apart, so a
     * host that slowed down for a while moves both of a pair, where one pair alone was at its mercy.
     */
    record BackToBack(String kernel, int launches, List<Double> streamSeconds, List<Double> xqueueSeconds, Window window) {
        BackToBack {
            if (streamSeconds.isEmpty() || streamSeconds.size() != xqueueSeconds.size()) {
                throw new IllegalArgumentException("one stream and one XQueue time per round, got "
                        + streamSeconds.size() + " and " + xqueueSeconds.size());
            }
            streamSeconds = List.copyOf(streamSeconds);
            xqueueSeconds = List.copyOf(xqueueSeconds);
        }

        /** Each round's XQueue time over its stream time, round by round. */
        List<Double> ratios() {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < streamSeconds.size(); i++) {
                ratios.add(xqueueSeconds.get(i) / streamSeconds.get(i));
            }
            return ratios;
        }

        /** The median of the rounds' ratios (the nearest rank, as every percentile here). */
        double ratio() {
            return median(ratios());
        }

        double minRatio() {
            return Collections.min(ratios());
        }

        double maxRatio() {
            return Collections.max(ratios());
        }

        double medianStreamSeconds() {
            return median(streamSeconds);
        }

        double medianXQueueSeconds() {
            return median(xqueueSeconds);
        }

        private static double median(List<Double> values) {
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            return sorted.get(NearestRank.index(sorted.size(), 50));
        }
    }

    /**
     * The XQueue's window after a row's last round ({@code XQueueStats.threshold}, {@code batchSize}):
     * the configured one, or where a drain budget moved it.
     */
    record Window(int threshold, int batchSize) {
        static Window of(XQueue queue) {
            XQueueStats stats = queue.stats();
            return new Window(stats.threshold(), stats.batchSize());
        }
    }

    record Result(String policy, boolean decideOnSubmit, XQueueConfig config, List<RoundTrip> roundTrips,
                  LaunchCallSplit.Split launchSplit, List<BackToBack> backToBack) {
        XQueueJson json() {
            return new XQueueJson(policy, decideOnSubmit, config.threshold(), config.batchSize(), IdlePollMicros.of(config.idlePoll()),
                    config.drainBudget().toNanos() / 1000,
                    roundTrips.stream().map(rt -> new XQueueJson.RoundTrip(rt.kernel(),
                            LaunchBenchmark.JsonLine.RoundTrip.of(rt.stream().whole()),
                            LaunchBenchmark.JsonLine.RoundTrip.of(rt.xqueue().whole()),
                            LaunchBenchmark.JsonLine.RoundTrip.of(rt.stream().launchCall()),
                            LaunchBenchmark.JsonLine.RoundTrip.of(rt.xqueue().launchCall()),
                            LaunchBenchmark.JsonLine.RoundTrip.of(rt.streamEventPolled().whole()),
                            LaunchBenchmark.JsonLine.RoundTrip.of(rt.streamPlainEventPolled().whole()),
                            Json.figure(rt.streamEventPolled().queriesPerRoundTrip()),
                            Json.figure(rt.streamPlainEventPolled().queriesPerRoundTrip()),
                            rt.stream().gc().count(), rt.stream().gc().millis(),
                            rt.xqueue().gc().count(), rt.xqueue().gc().millis())).toList(),
                    XQueueJson.LaunchSplit.of(launchSplit),
                    XQueueJson.SynchronizeSplitJson.of(launchSplit.synchronizeSplit()),
                    backToBack.stream().map(b -> new XQueueJson.BackToBack(b.kernel(), b.launches(), b.medianStreamSeconds(),
                            b.medianXQueueSeconds(), Json.figure(b.ratio()), b.streamSeconds(), b.xqueueSeconds(),
                            b.ratios().stream().map(Json::figure).toList(), b.window().threshold(), b.window().batchSize())).toList());
        }
    }

    /**
     * The {@code xqueue} object of the benchmark's JSON line (snake_case: {@code stream_us}, {@code back_to_back}, ...);
     * {@code decide_on_submit}: whether the scheduler ran the policy's round on the submitting thread.
     */
    record XQueueJson(String policy, boolean decideOnSubmit, int threshold, int batch, long idlePollUs, long drainBudgetUs, List<RoundTrip> roundtrip,
                      LaunchSplit launchSplitUs, SynchronizeSplitJson synchronizeSplitUs, List<BackToBack> backToBack) {
        /**
         * The empty kernel's launch call through an XQueue split at the native launch, and the
         * {@code synchronize()} after it, in microseconds ({@link LaunchCallSplit}); {@code slowest}:
         * the median of each part over the slowest 1% of those round trips; {@code launchedElsewhere}:
         * round trips whose native launch another thread made, not split.
         */
        record LaunchSplit(LaunchBenchmark.JsonLine.RoundTrip before, LaunchBenchmark.JsonLine.RoundTrip nativeLaunch,
                           LaunchBenchmark.JsonLine.RoundTrip after, LaunchBenchmark.JsonLine.RoundTrip synchronize,
                           Slowest slowest, int launchedElsewhere) {
            static LaunchSplit of(LaunchCallSplit.Split split) {
                LaunchCallSplit.Slowest slow = split.slowest();
                return new LaunchSplit(LaunchBenchmark.JsonLine.RoundTrip.of(split.before()),
                        LaunchBenchmark.JsonLine.RoundTrip.of(split.nativeLaunch()),
                        LaunchBenchmark.JsonLine.RoundTrip.of(split.after()),
                        LaunchBenchmark.JsonLine.RoundTrip.of(split.synchronize()),
                        new Slowest(slow.count(), Json.figure(slow.beforeMicros()), Json.figure(slow.nativeLaunchMicros()),
                                Json.figure(slow.afterMicros()), Json.figure(slow.synchronizeMicros())),
                        split.launchedElsewhere());
            }

            /** {@link LaunchCallSplit.Slowest}: how many round trips, and each part's median over them. */
            record Slowest(int count, Double before, Double nativeLaunch, Double after, Double synchronize) {
            }
        }

        /**
         * The split round trips' {@code synchronize()} taken apart at its sync point, in
         * microseconds ({@link SynchronizeSplit}): {@code split} calls; the parts (absent where
         * none was split); {@code slowest}: each part's median over the slowest 1% of round trips;
         * {@code queriesPerCall}: the sync point's event queries per call; {@code withoutOwnRecord},
         * {@code seenElsewhere}: calls counted, not split.
         */
        record SynchronizeSplitJson(int split, LaunchBenchmark.JsonLine.RoundTrip beforeRecord,
                                    LaunchBenchmark.JsonLine.RoundTrip record, LaunchBenchmark.JsonLine.RoundTrip poll,
                                    LaunchBenchmark.JsonLine.RoundTrip afterComplete, Slowest slowest, Double queriesPerCall,
                                    int withoutOwnRecord, int seenElsewhere) {
            static SynchronizeSplitJson of(SynchronizeSplit split) {
                SynchronizeSplit.Stats st = split.stats();
                if (st == null) {
                    return new SynchronizeSplitJson(0, null, null, null, null, null, Json.figure(split.queriesPerCall()),
                            split.withoutOwnRecord(), split.seenElsewhere());
                }
                SynchronizeSplit.Slowest slow = st.slowest();
                return new SynchronizeSplitJson(split.split(), LaunchBenchmark.JsonLine.RoundTrip.of(st.beforeRecord()),
                        LaunchBenchmark.JsonLine.RoundTrip.of(st.record()), LaunchBenchmark.JsonLine.RoundTrip.of(st.poll()),
                        LaunchBenchmark.JsonLine.RoundTrip.of(st.afterComplete()),
                        new Slowest(slow.count(), Json.figure(slow.beforeRecordMicros()), Json.figure(slow.recordMicros()),
                                Json.figure(slow.pollMicros()), Json.figure(slow.afterCompleteMicros())),
                        Json.figure(split.queriesPerCall()), split.withoutOwnRecord(), split.seenElsewhere());
            }

            /** {@link SynchronizeSplit.Slowest}: how many round trips, and each part's median over them. */
            record Slowest(int count, Double beforeRecord, Double record, Double poll, Double afterComplete) {
            }
        }

        /**
         * Microseconds, as the stream's round trip of the JSON line; {@code *LaunchUs}: the launch
         * call alone within it; {@code streamEventPolledUs}: the stream waited on by a polled event
         * made with {@code BLOCKING_SYNC}; {@code streamPlainEventPolledUs}: by one without it (the queue's kind);
         * {@code *Queries}: the mean number of event queries per such round trip;
         * {@code *GcPauses}, {@code *GcMs}: the JVM's collection pauses while the stream's or the
         * XQueue's round trips ran, and their milliseconds ({@link GcCounters}).
         */
        record RoundTrip(String kernel, LaunchBenchmark.JsonLine.RoundTrip streamUs, LaunchBenchmark.JsonLine.RoundTrip xqueueUs,
                         LaunchBenchmark.JsonLine.RoundTrip streamLaunchUs, LaunchBenchmark.JsonLine.RoundTrip xqueueLaunchUs,
                         LaunchBenchmark.JsonLine.RoundTrip streamEventPolledUs,
                         LaunchBenchmark.JsonLine.RoundTrip streamPlainEventPolledUs,
                         Double streamEventPolledQueries, Double streamPlainEventPolledQueries,
                         long streamGcPauses, long streamGcMs, long xqueueGcPauses, long xqueueGcMs) {
        }

        /**
         * {@code streamS}, {@code xqueueS}: the rounds' medians; {@code xqueueOverStream}: the median
         * of the rounds' ratios; {@code roundsStreamS}, {@code roundsXqueueS}, {@code roundsRatio}:
         * round by round; {@code windowThreshold}, {@code windowBatch}: the XQueue's window after the
         * last round.
         */
        record BackToBack(String kernel, int launches, double streamS, double xqueueS, Double xqueueOverStream,
                          List<Double> roundsStreamS, List<Double> roundsXqueueS, List<Double> roundsRatio,
                          int windowThreshold, int windowBatch) {
        }
    }

    private LaunchBenchmarkXQueue() {
    }

    static Result measure(Device gpu, Kernel empty, LaunchBenchmark.Options options) {
        XQueueConfig config = options.xqueueConfig();
        int priority = gpu.streamPriorityRange().least();
        try (HipModule module = gpu.loadModule(gpu.compiler().compile("spin_cycles.cu", SPIN_SOURCE));
             XScheduler scheduler = scheduler(options);
             Stream stream = gpu.createStream(priority);
             Stream splitStream = gpu.createStream(priority);
             Event marker = gpu.createEvent(EnumSet.of(EventFlag.BLOCKING_SYNC, EventFlag.DISABLE_TIMING));
             Event plainMarker = gpu.createEvent(EnumSet.of(EventFlag.DISABLE_TIMING))) {
            Kernel spin = module.function("spin_cycles", ParamType.LONG);
            XQueue queue = scheduler.createQueue(gpu, priority, config);
            List<RoundTrip> roundTrips = new ArrayList<>();
            for (TimedKernel kernel : List.of(timed(gpu, empty, spin, 0), timed(gpu, empty, spin, 20))) {
                RoundTrips viaStream = roundTrips(stream, kernel, options);
                RoundTrips viaQueue = roundTrips(queue, kernel, options);
                PolledRoundTrips viaPolledEvent = eventPolledRoundTrips(stream, marker, kernel, options);
                PolledRoundTrips viaPolledPlainEvent = eventPolledRoundTrips(stream, plainMarker, kernel, options);
                roundTrips.add(new RoundTrip(kernel.label(), viaStream, viaQueue, viaPolledEvent, viaPolledPlainEvent));
            }
            LaunchCallSplit.Split launchSplit = LaunchCallSplit.measure(scheduler, splitStream, config, timed(gpu, empty, spin, 0),
                    options);
            List<BackToBack> backToBack = new ArrayList<>();
            for (TimedKernel kernel : List.of(timed(gpu, empty, spin, 0), timed(gpu, empty, spin, 5))) {
                backToBack.add(backToBackRounds(stream, queue, kernel, options.launches(), options.rounds()));
            }
            return new Result(scheduler.policyName(), scheduler.decidesOnSubmit(), config, roundTrips, launchSplit, backToBack);
        }
    }

    private static XScheduler scheduler(LaunchBenchmark.Options options) {
        XScheduler.Builder builder = XScheduler.builder().name("bench-launch").jmx(false);
        if (options.decideOnSubmit() != null) {
            builder.decideOnSubmit(options.decideOnSubmit());
        }
        return builder.build();
    }

    /** The empty kernel for 0 us, else the spin kernel for about {@code micros}. */
    static TimedKernel timed(Device gpu, Kernel empty, Kernel spin, int micros) {
        boolean simulated = gpu.platform() instanceof SimulatedPlatform;
        if (micros == 0) {
            Kernel k = simulated ? SimulatedPlatform.withBlockDuration(empty, Duration.ZERO) : empty;
            return new TimedKernel("empty", k, KernelArgs.none());
        }
        String label = micros + " us";
        if (simulated) {
            return new TimedKernel(label, SimulatedPlatform.withBlockDuration(spin, Duration.ofNanos(micros * 1000L)),
                    KernelArgs.builder().i64(0).build());
        }
        long cycles = Math.max(1, (long) gpu.clockRateKHz() * micros / 1000);
        return new TimedKernel(label, spin, KernelArgs.builder().i64(cycles).build());
    }

    /**
     * Round trips through {@code queue}, each timed whole and up to the launch call's return (one
     * clock read more per round trip than the whole alone: 20-30 ns on a host whose clock source
     * is the TSC, which the benchmark's last line reports).
     */
    static RoundTrips roundTrips(CommandQueue queue, TimedKernel kernel, LaunchBenchmark.Options options) {
        warmUp(queue, kernel, options.warmup());
        long[] nanos = new long[options.iterations()];
        long[] launchNanos = new long[options.iterations()];
        GcCounters gcBefore = GcCounters.now();
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            kernel.launchOn(queue);
            long launched = System.nanoTime();
            queue.synchronize();
            nanos[i] = System.nanoTime() - start;
            launchNanos[i] = launched - start;
        }
        GcCounters gc = GcCounters.now().since(gcBefore);
        return new RoundTrips(LatencyStats.of(nanos), LatencyStats.of(launchNanos), gc);
    }

    /** {@code rounds} unmeasured round trips through {@code queue}, so that the JIT has compiled its launch path. */
    static void warmUp(CommandQueue queue, TimedKernel kernel, int rounds) {
        for (int i = 0; i < rounds; i++) {
            kernel.launchOn(queue);
            queue.synchronize();
        }
    }

    /**
     * Round trips through {@code stream} that wait as an XQueue's {@code synchronize()} does when
     * its sync point is due: {@code marker} recorded after the kernel, then polled until complete,
     * the wait's spin with no queue around it (the queue's sync points are plain events since
     * round 49; with a {@code BLOCKING_SYNC} marker, the kind they were before).
     */
    static PolledRoundTrips eventPolledRoundTrips(Stream stream, Event marker, TimedKernel kernel, LaunchBenchmark.Options options) {
        for (int i = 0; i < options.warmup(); i++) {
            eventPolledRoundTrip(stream, marker, kernel);
        }
        long[] nanos = new long[options.iterations()];
        long queries = 0;
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            queries += eventPolledRoundTrip(stream, marker, kernel);
            nanos[i] = System.nanoTime() - start;
        }
        return new PolledRoundTrips(LatencyStats.of(nanos), (double) queries / nanos.length);
    }

    /** One round trip; returns how many times it queried {@code marker}, the last one complete. */
    private static long eventPolledRoundTrip(Stream stream, Event marker, TimedKernel kernel) {
        kernel.launchOn(stream);
        stream.record(marker);
        long queries = 1;
        while (!marker.isComplete()) {
            Thread.onSpinWait();
            queries++;
        }
        return queries;
    }

    /**
     * {@code rounds} rounds of {@code launches} back-to-back launches through the stream and the
     * queue, after one unmeasured round on each (the JIT, the driver's first launches); the stream
     * goes first in the even rounds and second in the odd ones, so that neither side always runs
     * on the heels of the other's synchronize.
     */
    static BackToBack backToBackRounds(CommandQueue stream, XQueue queue, TimedKernel kernel, int launches, int rounds) {
        backToBack(stream, kernel, launches);
        backToBack(queue, kernel, launches);
        List<Double> viaStream = new ArrayList<>();
        List<Double> viaQueue = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            if (round % 2 == 0) {
                viaStream.add(backToBack(stream, kernel, launches));
                viaQueue.add(backToBack(queue, kernel, launches));
            } else {
                viaQueue.add(backToBack(queue, kernel, launches));
                viaStream.add(backToBack(stream, kernel, launches));
            }
        }
        return new BackToBack(kernel.label(), launches, viaStream, viaQueue, Window.of(queue));
    }

    /** Seconds for {@code launches} back-to-back launches and one synchronize. */
    static double backToBack(CommandQueue queue, TimedKernel kernel, int launches) {
        long start = System.nanoTime();
        for (int i = 0; i < launches; i++) {
            kernel.launchOn(queue);
        }
        queue.synchronize();
        return (System.nanoTime() - start) / 1e9;
    }

    static void print(Result r, int iterations, PrintStream out) {
        out.printf(Locale.ROOT, "  XQueue against a stream of the same priority (policy %s, deciding on the %s thread, "
                        + "threshold %d, batch %d%s%s):%n",
                r.policy(), r.decideOnSubmit() ? "submitting" : "scheduling", r.config().threshold(), r.config().batchSize(), r.config().idlePoll().isZero() ? ""
                        : ", idle poll " + IdlePollMicros.of(r.config().idlePoll()) + " us",
                r.config().drainBudget().isZero() ? "" : ", the window adapting to a drain budget of "
                        + r.config().drainBudget().toNanos() / 1000 + " us");
        out.printf(Locale.ROOT, "  %-44s %10s %10s %10s%n", "round trip (launch + sync), " + iterations + " iterations",
                "p50", "p99", "max");
        for (RoundTrip rt : r.roundTrips()) {
            row(out, "  " + rt.kernel() + " kernel, stream", rt.stream().whole(), rt.stream().gc());
            row(out, "    of which the launch call", rt.stream().launchCall());
            row(out, "  " + rt.kernel() + " kernel, XQueue", rt.xqueue().whole(), rt.xqueue().gc());
            row(out, "    of which the launch call", rt.xqueue().launchCall());
            polledRows(out, rt.kernel() + " kernel, stream, event polled", rt.streamEventPolled());
            polledRows(out, rt.kernel() + " kernel, stream, plain event polled", rt.streamPlainEventPolled());
        }
        LaunchCallSplit.Split split = r.launchSplit();
        out.printf(Locale.ROOT, "  %-44s%n", "empty kernel, XQueue's launch call split (own queue)");
        row(out, "    before the native launch", split.before());
        row(out, "    the native launch", split.nativeLaunch());
        row(out, "    after it", split.after());
        row(out, "    then synchronize()", split.synchronize());
        LaunchCallSplit.Slowest slow = split.slowest();
        out.printf(Locale.ROOT, "  %-44s before %.2f, native launch %.2f, after %.2f, synchronize() %.2f us%n",
                "    slowest 1% (" + slow.count() + "), each part's p50", slow.beforeMicros(), slow.nativeLaunchMicros(),
                slow.afterMicros(), slow.synchronizeMicros());
        if (split.launchedElsewhere() > 0) {
            out.printf(Locale.ROOT, "  %-44s %d%n", "    round trips launched by another thread", split.launchedElsewhere());
        }
        synchronizeRows(out, split.synchronizeSplit());
        for (BackToBack b : r.backToBack()) {
            out.printf(Locale.ROOT, "  %-44s %.3fx (median of %d rounds, %.3fx..%.3fx; stream %.3f s, XQueue %.3f s; window %d/%d)%n",
                    "back-to-back " + b.kernel() + " x " + b.launches() + ", XQueue/stream", b.ratio(),
                    b.streamSeconds().size(), b.minRatio(), b.maxRatio(), b.medianStreamSeconds(), b.medianXQueueSeconds(),
                    b.window().threshold(), b.window().batchSize());
        }
    }

    private static void polledRows(PrintStream out, String label, PolledRoundTrips polled) {
        row(out, "  " + label, polled.whole());
        out.printf(Locale.ROOT, "  %-44s %7.1f%n", "    event queries per round trip (mean)", polled.queriesPerRoundTrip());
    }

    /** The split round trips' {@code synchronize()} taken apart at its sync point ({@link SynchronizeSplit}). */
    private static void synchronizeRows(PrintStream out, SynchronizeSplit sync) {
        out.printf(Locale.ROOT, "  %-44s%n", "  its synchronize() split at the sync point (" + sync.split() + " calls)");
        SynchronizeSplit.Stats st = sync.stats();
        if (st != null) {
            row(out, "    before the record", st.beforeRecord());
            row(out, "    the record", st.record());
            row(out, "    polling until seen complete", st.poll());
            row(out, "    after it", st.afterComplete());
            SynchronizeSplit.Slowest slow = st.slowest();
            if (slow.count() == 0) {
                out.printf(Locale.ROOT, "  %-44s%n", "    slowest 1%: none of their calls split");
            } else {
                out.printf(Locale.ROOT, "  %-44s before the record %.2f, the record %.2f, polling %.2f, after %.2f us%n",
                        "    slowest 1% (" + slow.count() + "), each part's p50", slow.beforeRecordMicros(), slow.recordMicros(),
                        slow.pollMicros(), slow.afterCompleteMicros());
            }
        }
        out.printf(Locale.ROOT, "  %-44s %6.1f%n", "    event queries per call (mean)", sync.queriesPerCall());
        out.printf(Locale.ROOT, "  %-44s %d%n", "    calls with no record of their own", sync.withoutOwnRecord());
        out.printf(Locale.ROOT, "  %-44s %d%n", "    sync point seen complete first elsewhere", sync.seenElsewhere());
    }

    private static void row(PrintStream out, String label, LatencyStats s) {
        row(out, label, s, new GcCounters(0, 0));
    }

    private static void row(PrintStream out, String label, LatencyStats s, GcCounters gc) {
        out.printf(Locale.ROOT, "  %-44s %7.2f us %7.2f us %7.2f us%s%n", label, s.medianMicros(), s.p99Micros(), s.maxMicros(),
                pausesNote(gc));
    }

    /** After a row whose round trips met collection pauses: how many, and their milliseconds; else nothing. */
    static String pausesNote(GcCounters gc) {
        if (gc.count() <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, "  (%d GC pause%s, %d ms)", gc.count(), gc.count() == 1 ? "" : "s", gc.millis());
    }
}
