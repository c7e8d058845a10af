package dev.xsched.examples.bench;

import java.util.Arrays;

/**
 * An XQueue's {@code synchronize()} after a launch, split at its sync point: the queue's work
 * before it records the sync point (its locks, the waiter's count), the record itself (the native
 * event record), the polling until the event was seen complete, and the queue's work after that
 * (recording the completion, releasing what it let go, leaving). Round 61 (H100) found the empty
 * round trip's slowest 1% spending their extra in {@code synchronize()} (6.1-18.7 us against
 * 3.0-4.8 at the median), not in the launch call; these parts say whether that is the GPU's
 * completion (the polling) or the queue's work around it.
 *
 * <p>Split only where the calling thread recorded the sync point inside the call and was the
 * first to see it complete ({@link TimingStream}, {@link TimingEvent}); the rest are counted: a
 * call whose sync point was recorded before it (by the window, or by another thread), and one whose
 * completion another thread (the completion thread) saw first, or that the waiter learnt of from a
 * blocking wait once its wait spin ran out (through an event of its own, not the sync point's).
 * The timing adds to each call two clock reads around the record, one when the event is first seen
 * complete and an atomic count per query, which the stream's own rows do not pay.
 *
 * @param stats            the parts, or null where no call was split
 * @param queriesPerCall   the sync point's event queries per call with a record of its own, by
 *                         every thread (the completion thread's too), mean; 0 where there was none
 * @param split            calls split
 * @param withoutOwnRecord calls whose sync point was recorded before them or by another thread
 * @param seenElsewhere    calls whose sync point another thread saw complete first, or whose
 *                         waiter blocked rather than polled
 */
record SynchronizeSplit(Stats stats, double queriesPerCall, int split, int withoutOwnRecord, int seenElsewhere) {
    /** Each part over the split calls, and over the slowest 1% of round trips among them. */
    record Stats(LatencyStats beforeRecord, LatencyStats record, LatencyStats poll, LatencyStats afterComplete,
                 Slowest slowest) {
    }

    /**
     * The median of each part, in microseconds, over the round trips at or over the P99 (of
     * {@link LaunchCallSplit.Slowest}) whose {@code synchronize()} was split; {@code count} of them.
     */
    record Slowest(int count, double beforeRecordMicros, double recordMicros, double pollMicros,
                   double afterCompleteMicros) {
    }

    /**
     * Collects the parts of up to {@code capacity} calls, at the index of their round trip in
     * {@link LaunchCallSplit}'s arrays (a call not split keeps -1 there). Confined to the measuring thread.
     */
    static final class Recorder {
        private final long[] beforeRecord;
        private final long[] record;
        private final long[] poll;
        private final long[] afterComplete;
        private long queries;
        private int withRecord;
        private int split;
        private int withoutOwnRecord;
        private int seenElsewhere;

        Recorder(int capacity) {
            beforeRecord = filled(capacity);
            record = filled(capacity);
            poll = filled(capacity);
            afterComplete = filled(capacity);
        }

        /**
         * The call at {@code index}, made by {@code caller} from {@code returned} (the launch
         * call's return) to {@code synced}, with {@code last} its stream's last event record then.
         */
        void add(int index, Thread caller, long returned, long synced, TimingStream.Record last) {
            if (last.thread() != caller || last.start() < returned || last.end() > synced || last.event() == null) {
                withoutOwnRecord++;
                return;
            }
            withRecord++;
            queries += last.event().queries();
            TimingEvent.Seen seen = last.event().firstComplete();
            if (seen == null || seen.thread() != caller || seen.at() < last.end() || seen.at() > synced) {
                seenElsewhere++;
                return;
            }
            beforeRecord[index] = last.start() - returned;
            record[index] = last.end() - last.start();
            poll[index] = seen.at() - last.end();
            afterComplete[index] = synced - seen.at();
            split++;
        }

        /** What was collected, with the slowest 1% taken from {@code slowestIndices} (round trip indices). */
        SynchronizeSplit result(int[] slowestIndices) {
            double perCall = withRecord == 0 ? 0 : (double) queries / withRecord;
            if (split == 0) {
                return new SynchronizeSplit(null, perCall, 0, withoutOwnRecord, seenElsewhere);
            }
            int[] slow = Arrays.stream(slowestIndices).filter(i -> record[i] >= 0).toArray();
            Slowest slowest = slow.length == 0 ? new Slowest(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN)
                    : new Slowest(slow.length, LatencyStats.medianMicrosAt(beforeRecord, slow),
                            LatencyStats.medianMicrosAt(record, slow), LatencyStats.medianMicrosAt(poll, slow),
                            LatencyStats.medianMicrosAt(afterComplete, slow));
            Stats stats = new Stats(LatencyStats.of(present(beforeRecord)), LatencyStats.of(present(record)),
                    LatencyStats.of(present(poll)), LatencyStats.of(present(afterComplete)), slowest);
            return new SynchronizeSplit(stats, perCall, split, withoutOwnRecord, seenElsewhere);
        }

        private static long[] filled(int n) {
            long[] a = new long[n];
            Arrays.fill(a, -1);
            return a;
        }

        private static long[] present(long[] part) {
            return Arrays.stream(part).filter(v -> v >= 0).toArray();
        }
    }
}
