package dev.xsched.examples.scenario;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueStats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The LP side of {@link RequestBreakdown} in {@code xsched demo --processes 2}: the LP process
 * samples its queue's counters and its socket traffic shortly before each HP request's scheduled
 * arrival (both processes know the arrivals: one start, one rate, one clock), and each HP request
 * then gets what happened from its arrival's mark to the next one's. In one process the stretch
 * runs from submission to submission instead; the HP submits a fraction of a millisecond after
 * its arrival and an LP suspension for it begins only after that, so the two count the same
 * suspensions, as long as a request ends within a period less {@link #LEAD_NANOS}.
 */
final class LpMarks {
    /**
     * How long before an arrival the LP process samples: long after the previous request's resume
     * (a period is 50 ms at the demo's rate), and far more than the sampler's wake-up is late.
     */
    static final long LEAD_NANOS = 1_000_000;

    /**
     * The LP side's cumulative counters just before HP arrival number {@code arrival}, taken
     * {@code lateNanos} after they were due (one lead before the arrival), with when the LP's
     * latest suspension began, in nanoseconds from the scenario's start ({@code lastSuspendedNanos};
     * the LP scheduler's clock is {@link System#nanoTime()}, the same clock in every process of a
     * host).
     */
    record Mark(long arrival, long lateNanos, long yields, long suspensions, long suspendedNanos, long lastSuspendedNanos,
                SocketTraffic traffic) {
        static final String PREFIX = "lpmark ";

        /**
         * Whether it was taken before its arrival: a sampler starved of CPU for longer than the
         * lead may wake after the HP request began, and its mark would give that request's LP
         * suspension to the request before.
         */
        boolean onTime() {
            return lateNanos < LEAD_NANOS;
        }

        /** How the LP process hands it over (one line of its standard output). */
        String line() {
            return PREFIX + arrival + " " + lateNanos + " " + yields + " " + suspensions + " " + suspendedNanos + " "
                    + lastSuspendedNanos + " " + traffic.toServer() + " " + traffic.fromServer() + " " + traffic.lpDecisions();
        }

        /** Reads {@link #line()}; the LP process sends no HP frames ({@link SocketTraffic#hpToServer()} 0). */
        static Mark parse(String line) {
            String[] f = line.startsWith(PREFIX) ? line.substring(PREFIX.length()).split(" ") : new String[0];
            if (f.length != 9) {
                throw new IllegalArgumentException("not an LP mark: " + line);
            }
            return new Mark(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]),
                    new SocketTraffic(Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]), 0));
        }
    }

    /**
     * The merged rows of one mode.
     *
     * @param rows      every HP request
     * @param withoutLp how many of them kept no LP columns: a mark missing or late
     */
    record Merged(List<RequestBreakdown.Row> rows, int withoutLp) {
    }

    /** The sampling thread of the LP process. */
    static final class Sampler {
        private final List<Mark> marks = new CopyOnWriteArrayList<>();
        private final Thread thread;

        private Sampler(XQueue lp, Supplier<SocketTraffic> traffic, long start, long period, long first, long last) {
            thread = Thread.ofPlatform().daemon().name("scenario-lp-marks").start(() -> {
                for (long i = first; i <= last; i++) {
                    long due = start + i * period - LEAD_NANOS;
                    long left;
                    while ((left = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(left);
                    }
                    XQueueStats stats = lp.stats();
                    SocketTraffic sent = traffic.get();
                    marks.add(new Mark(i, System.nanoTime() - due, stats.yielded(), stats.suspensions(), stats.suspendedNanos(),
                            stats.lastSuspendedAt() - start, sent));
                }
            });
        }

        /** Waits for the last mark (due one lead before the end of the measured window, or just after). */
        List<Mark> finish() throws InterruptedException {
            thread.join();
            return List.copyOf(marks);
        }
    }

    private LpMarks() {
    }

    /**
     * Starts sampling before every arrival that a measured HP request can have, and one more
     * that closes the last one's stretch.
     *
     * @param start   the scenario's start ({@link System#nanoTime()}): arrival i is at start + i * period
     * @param period  nanoseconds between HP arrivals
     * @param warmup  nanoseconds from the start to the measured window
     * @param window  the measured window's length in nanoseconds
     */
    static Sampler start(XQueue lp, Supplier<SocketTraffic> traffic, long start, long period, long warmup, long window) {
        long first = Math.ceilDiv(warmup, period);
        long last = Math.ceilDiv(warmup + window, period); // the first arrival past the window closes the last stretch
        return new Sampler(lp, traffic, start, period, first, last);
    }

    /**
     * The HP process's rows with the LP columns from the LP process's marks (each request: from its
     * arrival's mark to the next one's) and the LP process's socket traffic added to the HP
     * process's own. A row without both marks on time ({@link Mark#onTime()}) is left as it is.
     *
     * @param warmup nanoseconds from the start to the measured window (rows count their arrival from there)
     */
    static Merged merge(List<RequestBreakdown.Row> hpRows, List<Mark> marks, long period, long warmup) {
        Map<Long, Mark> byArrival = new HashMap<>();
        marks.forEach(m -> byArrival.put(m.arrival(), m));
        List<RequestBreakdown.Row> merged = new ArrayList<>(hpRows.size());
        int withoutLp = 0;
        for (RequestBreakdown.Row row : hpRows) {
            long arrival = Math.round((row.arrivalSeconds() * 1e9 + warmup) / period);
            Mark from = byArrival.get(arrival);
            Mark to = byArrival.get(arrival + 1);
            if (from == null || to == null || !from.onTime() || !to.onTime()) {
                merged.add(row);
                withoutLp++;
                continue;
            }
            long suspends = to.suspensions() - from.suspensions();
            // The stretch's suspension, from this request's arrival (arrival i is i periods after the start).
            double suspendMs = RequestBreakdown.suspendMs(suspends, to.lastSuspendedNanos() - arrival * period);
            merged.add(row.withLp(to.yields() - from.yields(), suspends, (to.suspendedNanos() - from.suspendedNanos()) / 1e6,
                    suspendMs).withTraffic(row.traffic().plus(to.traffic().minus(from.traffic()))));
        }
        return new Merged(merged, withoutLp);
    }
}
