package dev.xsched.examples.bench;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.examples.bench.LaunchBenchmarkXQueue.TimedKernel;
import dev.xsched.hip.Stream;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The XQueue's launch call in a synchronous round trip, split at the native launch: the queue's
 * work before it (its lock, the command, the window), the native launch, and its work after it
 * (a burst's first release wakes the completion thread; the queue turning ready tells the
 * scheduler); and the {@code synchronize()} after it. Round 59 (H100) put the launch call's P99
 * 5-15 us over the stream's whichever thread made the policy's decision, and found lock waits in
 * only 0.14% of round trips (round 53's park recording); round 60 found the native launch as long
 * as the stream's whole call and the extra after it (the wake-ups), and that taking the wake-ups
 * off the call moved their cost into the wait. So the wait is timed too, and the slowest 1% of
 * round trips are taken apart: the median of each part over them, against its median over all,
 * says which part makes the tail. Round 61 found it in the wait, so the wait is split too, at its
 * sync point ({@link SynchronizeSplit}).
 *
 * <p>Measured on a queue of its own, over a stream that times its launches and event records and
 * whose events note when they were seen complete ({@link TimingStream}, {@link XScheduler#wrap}),
 * so that the benchmark's other XQueue rows pay for no clock read of this one. A launch the queue
 * releases from another thread (its completion or scheduling thread) is not inside the call: such
 * round trips are counted, not split.
 */
final class LaunchCallSplit {
    /**
     * Microseconds of the round trips whose native launch ran inside the launch call: before it,
     * the native call itself, after it, and the {@code synchronize()} that followed the call;
     * {@code slowest}: those parts over the slowest 1%; {@code launchedElsewhere}: round trips
     * whose native launch another thread made; {@code synchronizeSplit}: the {@code synchronize()}
     * of the split round trips taken apart at its sync point.
     */
    record Split(LatencyStats before, LatencyStats nativeLaunch, LatencyStats after, LatencyStats synchronize,
                 Slowest slowest, int launchedElsewhere, SynchronizeSplit synchronizeSplit) {
    }

    /**
     * The round trips (launch call and {@code synchronize()}) at or over their P99, nearest rank as
     * {@link LatencyStats}: how many, and the median of each part over them in microseconds, to
     * set beside each part's median over all. Medians, not means: one collection pause of several
     * milliseconds among a few hundred round trips would make its part's mean look like the tail's.
     */
    record Slowest(int count, double beforeMicros, double nativeLaunchMicros, double afterMicros, double synchronizeMicros) {
        /** Of the first {@code n} round trips, each the sum of its four parts (nanoseconds, one per array). */
        static Slowest of(long[] before, long[] nativeLaunch, long[] after, long[] synchronize, int n) {
            return at(indices(before, nativeLaunch, after, synchronize, n), before, nativeLaunch, after, synchronize);
        }

        /** Over the round trips at {@code slow} (from {@link #indices}). */
        static Slowest at(int[] slow, long[] before, long[] nativeLaunch, long[] after, long[] synchronize) {
            return new Slowest(slow.length, LatencyStats.medianMicrosAt(before, slow),
                    LatencyStats.medianMicrosAt(nativeLaunch, slow), LatencyStats.medianMicrosAt(after, slow),
                    LatencyStats.medianMicrosAt(synchronize, slow));
        }

        /** The indices of those round trips among the first {@code n}, in order. */
        static int[] indices(long[] before, long[] nativeLaunch, long[] after, long[] synchronize, int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("no round trips");
            }
            long[] totals = new long[n];
            for (int i = 0; i < n; i++) {
                totals[i] = before[i] + nativeLaunch[i] + after[i] + synchronize[i];
            }
            long[] sorted = totals.clone();
            Arrays.sort(sorted);
            long p99 = LatencyStats.nearestRank(sorted, 0.99);
            return IntStream.range(0, n).filter(i -> totals[i] >= p99).toArray();
        }
    }

    private LaunchCallSplit() {
    }

    /**
     * {@code options.warmup()} round trips, then {@code options.iterations()} measured, through a
     * queue with {@code config} over a timing wrapper of {@code stream}; the queue is closed after.
     */
    static Split measure(XScheduler scheduler, Stream stream, XQueueConfig config, TimedKernel kernel,
                         LaunchBenchmark.Options options) {
        TimingStream timing = new TimingStream(stream);
        XQueue queue = scheduler.wrap(timing, config);
        try {
            LaunchBenchmarkXQueue.warmUp(queue, kernel, options.warmup());
            int n = options.iterations();
            long[] before = new long[n];
            long[] nativeLaunch = new long[n];
            long[] after = new long[n];
            long[] synchronize = new long[n];
            SynchronizeSplit.Recorder synchronizeParts = new SynchronizeSplit.Recorder(n);
            int inside = 0;
            int elsewhere = 0;
            Thread caller = Thread.currentThread();
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                kernel.launchOn(queue);
                long returned = System.nanoTime();
                queue.synchronize();
                long synced = System.nanoTime();
                // An earlier launch started before this call; one made by another thread is not in it.
                TimingStream.Launch last = timing.lastLaunch();
                if (last.thread() == caller && last.start() >= start && last.end() <= returned) {
                    before[inside] = last.start() - start;
                    nativeLaunch[inside] = last.end() - last.start();
                    after[inside] = returned - last.end();
                    synchronize[inside] = synced - returned;
                    synchronizeParts.add(inside, caller, returned, synced, timing.lastRecord());
                    inside++;
                } else {
                    elsewhere++;
                }
            }
            if (inside == 0) {
                throw new IllegalStateException("no launch of " + n + " ran inside its launch call: nothing to split");
            }
            int[] slowest = Slowest.indices(before, nativeLaunch, after, synchronize, inside);
            return new Split(LatencyStats.of(Arrays.copyOf(before, inside)),
                    LatencyStats.of(Arrays.copyOf(nativeLaunch, inside)),
                    LatencyStats.of(Arrays.copyOf(after, inside)),
                    LatencyStats.of(Arrays.copyOf(synchronize, inside)),
                    Slowest.at(slowest, before, nativeLaunch, after, synchronize), elsewhere,
                    synchronizeParts.result(slowest));
        } finally {
            queue.close();
        }
    }
}
