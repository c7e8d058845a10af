package dev.xsched.examples.bench;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
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
 *       the completion and the queue's bookkeeping around it);</li>
 *   <li>back-to-back: the benchmark's number of launches, then one synchronize, empty and of about
 *       5 us, XQueue time over stream time.</li>
 * </ul>
 * The XQueue uses the default threshold and batch size (16/8) under a scheduler with the
 * pass-through policy: the cost of the queue's machinery, not of a policy's decisions. The timed
 * kernel spins on {@code clock64()} for the device's nominal clock rate times its length (the
 * stream's round trip shows how long it really takes); on the simulator it lasts exactly that long.
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

    /** A queue's round trips: whole, and the launch call alone within each. */
    record RoundTrips(LatencyStats whole, LatencyStats launchCall) {
    }

    record BackToBack(String kernel, int launches, double streamSeconds, double xqueueSeconds) {
        double ratio() {
            return xqueueSeconds / streamSeconds;
        }

    }

    record Result(String policy, XQueueConfig config, List<RoundTrip> roundTrips, List<BackToBack> backToBack) {
        XQueueJson json() {
            return new XQueueJson(policy, config.threshold(), config.batchSize(), IdlePollMicros.of(config.idlePoll()),
                    roundTrips.stream().map(rt -> new XQueueJson.RoundTrip(rt.kernel(),
                            LaunchBenchmark.JsonLine.RoundTrip.of(rt.stream().whole()),
                            LaunchBenchmark.JsonLine.RoundTrip.of(rt.xqueue().whole()),
                            LaunchBenchmark.JsonLine.RoundTrip.of(rt.stream().launchCall()),
                            LaunchBenchmark.JsonLine.RoundTrip.of(rt.xqueue().launchCall()),
                            LaunchBenchmark.JsonLine.RoundTrip.of(rt.streamEventPolled().whole()),
                            LaunchBenchmark.JsonLine.RoundTrip.of(rt.streamPlainEventPolled().whole()),
                            Json.figure(rt.streamEventPolled().queriesPerRoundTrip()),
                            Json.figure(rt.streamPlainEventPolled().queriesPerRoundTrip()))).toList(),
                    backToBack.stream().map(b -> new XQueueJson.BackToBack(b.kernel(), b.launches(), b.streamSeconds(), b.xqueueSeconds(),
                            Json.figure(b.ratio()))).toList());
        }
    }

    /** The {@code xqueue} object of the benchmark's JSON line (snake_case: {@code stream_us}, {@code back_to_back}, ...). */
    record XQueueJson(String policy, int threshold, int batch, long idlePollUs, List<RoundTrip> roundtrip, List<BackToBack> backToBack) {
        /**
         * Microseconds, as the stream's round trip of the JSON line; {@code *LaunchUs}: the launch
         * call alone within it; {@code streamEventPolledUs}: the stream waited on by a polled event
         * made with {@code BLOCKING_SYNC}; {@code streamPlainEventPolledUs}: by one without it (the queue's kind);
         * {@code *Queries}: the mean number of event queries per such round trip.
         */
        record RoundTrip(String kernel, LaunchBenchmark.JsonLine.RoundTrip streamUs, LaunchBenchmark.JsonLine.RoundTrip xqueueUs,
                         LaunchBenchmark.JsonLine.RoundTrip streamLaunchUs, LaunchBenchmark.JsonLine.RoundTrip xqueueLaunchUs,
                         LaunchBenchmark.JsonLine.RoundTrip streamEventPolledUs,
                         LaunchBenchmark.JsonLine.RoundTrip streamPlainEventPolledUs,
                         Double streamEventPolledQueries, Double streamPlainEventPolledQueries) {
        }

        record BackToBack(String kernel, int launches, double streamS, double xqueueS, Double xqueueOverStream) {
        }
    }

    private LaunchBenchmarkXQueue() {
    }

    static Result measure(Device gpu, Kernel empty, LaunchBenchmark.Options options) {
        XQueueConfig config = options.xqueueConfig();
        int priority = gpu.streamPriorityRange().least();
        try (HipModule module = gpu.loadModule(gpu.compiler().compile("spin_cycles.cu", SPIN_SOURCE));
             XScheduler scheduler = XScheduler.builder().name("bench-launch").jmx(false).build();
             Stream stream = gpu.createStream(priority);
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
            List<BackToBack> backToBack = new ArrayList<>();
            for (TimedKernel kernel : List.of(timed(gpu, empty, spin, 0), timed(gpu, empty, spin, 5))) {
                double viaStream = backToBack(stream, kernel, options.launches());
                double viaQueue = backToBack(queue, kernel, options.launches());
                backToBack.add(new BackToBack(kernel.label(), options.launches(), viaStream, viaQueue));
            }
            return new Result(scheduler.policyName(), config, roundTrips, backToBack);
        }
    }

    /** The empty kernel for 0 us, else the spin kernel for about {@code micros}. */
    private static TimedKernel timed(Device gpu, Kernel empty, Kernel spin, int micros) {
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
        for (int i = 0; i < options.warmup(); i++) {
            kernel.launchOn(queue);
            queue.synchronize();
        }
        long[] nanos = new long[options.iterations()];
        long[] launchNanos = new long[options.iterations()];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            kernel.launchOn(queue);
            long launched = System.nanoTime();
            queue.synchronize();
            nanos[i] = System.nanoTime() - start;
            launchNanos[i] = launched - start;
        }
        return new RoundTrips(LatencyStats.of(nanos), LatencyStats.of(launchNanos));
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

    /** Seconds for {@code launches} back-to-back launches and one synchronize, after one such round to warm up. */
    static double backToBack(CommandQueue queue, TimedKernel kernel, int launches) {
        for (int round = 0; ; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < launches; i++) {
                kernel.launchOn(queue);
            }
            queue.synchronize();
            if (round == 1) {
                return (System.nanoTime() - start) / 1e9;
            }
        }
    }

    static void print(Result r, int iterations, PrintStream out) {
        out.printf(Locale.ROOT, "  XQueue against a stream of the same priority (policy %s, threshold %d, batch %d%s):%n",
                r.policy(), r.config().threshold(), r.config().batchSize(), r.config().idlePoll().isZero() ? ""
                        : ", idle poll " + IdlePollMicros.of(r.config().idlePoll()) + " us");
        out.printf(Locale.ROOT, "  %-44s %10s %10s %10s%n", "round trip (launch + sync), " + iterations + " iterations",
                "p50", "p99", "max");
        for (RoundTrip rt : r.roundTrips()) {
            row(out, "  " + rt.kernel() + " kernel, stream", rt.stream().whole());
            row(out, "    of which the launch call", rt.stream().launchCall());
            row(out, "  " + rt.kernel() + " kernel, XQueue", rt.xqueue().whole());
            row(out, "    of which the launch call", rt.xqueue().launchCall());
            polledRows(out, rt.kernel() + " kernel, stream, event polled", rt.streamEventPolled());
            polledRows(out, rt.kernel() + " kernel, stream, plain event polled", rt.streamPlainEventPolled());
        }
        for (BackToBack b : r.backToBack()) {
            out.printf(Locale.ROOT, "  %-44s %.3fx (stream %.3f s, XQueue %.3f s)%n",
                    "back-to-back " + b.kernel() + " x " + b.launches() + ", XQueue/stream", b.ratio(), b.streamSeconds(),
                    b.xqueueSeconds());
        }
    }

    private static void polledRows(PrintStream out, String label, PolledRoundTrips polled) {
        row(out, "  " + label, polled.whole());
        out.printf(Locale.ROOT, "  %-44s %7.1f%n", "    event queries per round trip (mean)", polled.queriesPerRoundTrip());
    }

    private static void row(PrintStream out, String label, LatencyStats s) {
        out.printf(Locale.ROOT, "  %-44s %7.2f us %7.2f us %7.2f us%n", label, s.medianMicros(), s.p99Micros(), s.maxMicros());
    }
}
