package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.NearestRank;
import dev.xsched.examples.scenario.RequestBreakdown.HostTimes;
import dev.xsched.examples.scenario.RequestBreakdown.Row;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * What the demo prints of {@link RequestBreakdown}'s rows under "where the HP time goes": per mode,
 * each part's mean over the slowest 1% beside its mean over all requests, then the lines that
 * explain the tail (the LP's cost, when the LP's suspension began and the requests that never
 * suspended it, requests that stopped no LP kernel, requests the host held up,
 * the latency without the host's wake-ups, a tail that arrived in one burst, the scheduler
 * server's socket traffic).
 */
final class BreakdownSummary {
    private BreakdownSummary() {
    }

    /**
     * For each mode, the mean of each part over its slowest 1% of requests (at least one) beside
     * the mean over all: which part makes the tail.
     */
    static void print(List<Row> rows, PrintStream out) {
        // Each mode's rows, in the order the modes ran; every part below reads them from here.
        Map<String, List<Row>> byMode = rows.stream()
                .collect(Collectors.groupingBy(Row::mode, LinkedHashMap::new, Collectors.toList()));
        if (byMode.isEmpty()) {
            return;
        }
        out.println("where the HP time goes (ms; mean over the slowest 1% | over all requests):");
        out.printf(Locale.ROOT, "  %-18s %6s %15s %15s %15s %15s %15s %15s %15s %15s %15s %15s %9s%n", "mode", "n", "late",
                "wait for GPU", "GPU span", "enqueue", "wake-up", "run queue", "off CPU", "LP yields", "LP suspends",
                "LP suspended", "GCs");
        for (Map.Entry<String, List<Row>> mode : byMode.entrySet()) {
            List<Row> all = mode.getValue();
            List<Row> slowest = slowest(all);
            out.printf(Locale.ROOT, "  %-18s %6d %15s %15s %15s %15s %15s %15s %15s %15s %15s %15s %9s%n", mode.getKey(),
                    slowest.size(), pair(slowest, all, Row::lateMs), pair(slowest, all, Row::waitMs),
                    pair(slowest, all, Row::gpuMs), pair(slowest, all, r -> r.host().enqueueMs()),
                    pair(slowest, all, Row::wakeMs), pair(slowest, all, r -> r.host().runQueueMs()),
                    pair(slowest, all, r -> r.host().offCpuMs()), pair(slowest, all, r -> lpKnown(r) ? r.lpYields() : Double.NaN),
                    pair(slowest, all, r -> lpKnown(r) ? r.lpSuspends() : Double.NaN), pair(slowest, all, Row::lpSuspendedMs),
                    pair(slowest, all, r -> r.gcCount()));
        }
        printLpCost(byMode, out);
        printLpSuspend(byMode, out);
        printUnyielding(byMode, out);
        printHostDelays(byMode, out);
        printEnqueue(byMode, out);
        printWithoutHostWakeUps(byMode, out);
        printBursts(byMode, out);
        printTraffic(byMode, out);
    }

    /** The longest stretch of a run, as a share of it, in which the slowest requests count as a burst. */
    static final double BURST_SHARE = 0.15;

    /**
     * Per mode whose slowest 1% (at least 4 requests) arrived mostly in one stretch of at most
     * {@link #BURST_SHARE} of the run: how many, when, and the P99 of the requests outside it. A
     * tail made in a few seconds is an event of those seconds, most often the host's (on the H200,
     * round 23 b: the hypervisor took 3.8 s of CPU in one mode, 29 of its 36 slowest requests
     * arrived within 18 s, and outside them the P99 was 1.70 ms against 1.96 over the run), where a
     * tail spread over the run is every request's; the figures keep both, this line tells them
     * apart. A tail of 36 requests spread at random over 180 s puts 10 of them in its densest 15%
     * of the run at the median, more than 18 in fewer than 1 of 10,000 draws (simulated): more
     * than half in it is no chance.
     */
    private static void printBursts(Map<String, List<Row>> byMode, PrintStream out) {
        for (Map.Entry<String, List<Row>> entry : byMode.entrySet()) {
            List<Row> all = entry.getValue();
            List<Row> slowest = slowest(all);
            double first = all.stream().mapToDouble(Row::arrivalSeconds).min().orElse(0);
            double last = all.stream().mapToDouble(Row::arrivalSeconds).max().orElse(0);
            double window = BURST_SHARE * (last - first);
            if (slowest.size() < 4 || !(window > 0)) {
                continue;
            }
            double[] arrivals = slowest.stream().mapToDouble(Row::arrivalSeconds).sorted().toArray();
            int bestFrom = 0;
            int bestCount = 0;
            for (int from = 0, to = 0; from < arrivals.length; from++) {
                while (to < arrivals.length && arrivals[to] - arrivals[from] <= window) {
                    to++;
                }
                if (to - from > bestCount) {
                    bestCount = to - from;
                    bestFrom = from;
                }
            }
            if (2 * bestCount <= slowest.size()) {
                continue; // no stretch holds most of the tail
            }
            double from = arrivals[bestFrom];
            double to = arrivals[bestFrom + bestCount - 1];
            List<Row> outside = all.stream().filter(r -> r.arrivalSeconds() < from || r.arrivalSeconds() > to).toList();
            out.printf(Locale.ROOT, "  %s: %d of the slowest %d arrived within %.0f s (%.0f-%.0f s into the window, %.0f%% of the run):"
                            + " a burst (the host, or the JVM, in those seconds), outside which the P99 was %.2f ms (%d requests)%n",
                    entry.getKey(), bestCount, slowest.size(), to - from, from, to, 100 * (to - from) / (last - first),
                    p99(outside), outside.size());
        }
    }

    /** The nearest-rank 99th percentile of the rows' latencies, NaN for none. */
    private static double p99(List<Row> rows) {
        return percentile(rows, Row::totalMs, 99);
    }

    /** The nearest-rank {@code percent} percentile of {@code part} over {@code rows}, NaN for none. */
    static double percentile(List<Row> rows, ToDoubleFunction<Row> part, double percent) {
        double[] values = rows.stream().mapToDouble(part).sorted().toArray();
        return values.length == 0 ? Double.NaN : values[NearestRank.index(values.length, percent)];
    }

    /**
     * Per mode whose requests the host held up (see {@link #printHostDelays}): the percentiles of
     * submission to the last kernel's end (wait for the GPU plus GPU span), which leave out the
     * client's late start and late sight of the end, beside the P99 and P99.9 of the requests the
     * host did not hold up over {@link #HOST_DELAY_MS}. Where the online model takes half a
     * millisecond, the host's steal sets every mode's P99 (on the H200 in round 30 the same model
     * alone measured 2.98 and 1.59 ms twenty minutes apart); these are what the scheduler and the
     * GPU did. A submitting thread stopped mid-request shows in the first three (its GPU span
     * waited for its launches) but counts as held up where its enqueue time was measured.
     */
    private static void printWithoutHostWakeUps(Map<String, List<Row>> byMode, PrintStream out) {
        for (Map.Entry<String, List<Row>> entry : byMode.entrySet()) {
            List<Row> all = entry.getValue();
            ToDoubleFunction<Row> hostDelayMs = hostDelay(all);
            if (all.stream().noneMatch(r -> hostDelayMs.applyAsDouble(r) > HOST_DELAY_MS)) {
                continue;
            }
            ToDoubleFunction<Row> deviceSide = r -> r.waitMs() + r.gpuMs();
            List<Row> undelayed = all.stream().filter(r -> hostDelayMs.applyAsDouble(r) <= HOST_DELAY_MS).toList();
            String rest = undelayed.isEmpty() ? "every request was held up on the host"
                    : String.format(Locale.ROOT, "the %d requests not held up on the host: P99 %.2f, P99.9 %.2f ms",
                    undelayed.size(), percentile(undelayed, Row::totalMs, 99), percentile(undelayed, Row::totalMs, 99.9));
            out.printf(Locale.ROOT, "  %s: from submission to the last kernel's end P50 %.2f, P99 %.2f, P99.9 %.2f ms; %s%n",
                    entry.getKey(), percentile(all, deviceSide, 50), percentile(all, deviceSide, 99),
                    percentile(all, deviceSide, 99.9), rest);
        }
    }

    /**
     * A request's host delay (late to start, slow to see its end, and enqueuing beyond the mode's
     * median) above this is the host's doing, not noise.
     */
    static final double HOST_DELAY_MS = 1.0;

    /**
     * Per mode with requests the host held up by more than {@link #HOST_DELAY_MS} (late to start,
     * slow to see the end, and a stalled enqueue: see {@link #hostDelay}): how many, how many of
     * the slowest 1% they are, and which part of the host held up most of them: how many spent at
     * least half of that delay on the run queue (runnable, not running: the host's scheduler or the
     * container's CPU quota rather than ours), how many lost it while keeping their CPU (the
     * hypervisor or interrupts), and how many woke from the client's park after the arrival. On
     * the H200 in round 10 such requests were most of the slowest 1% (32 of 36 in one 180 s run),
     * none on the run queue in round 11.
     */
    private static void printHostDelays(Map<String, List<Row>> byMode, PrintStream out) {
        for (Map.Entry<String, List<Row>> entry : byMode.entrySet()) {
            String mode = entry.getKey();
            List<Row> all = entry.getValue();
            ToDoubleFunction<Row> hostDelayMs = hostDelay(all);
            List<Row> delayed = all.stream().filter(r -> hostDelayMs.applyAsDouble(r) > HOST_DELAY_MS).toList();
            if (delayed.isEmpty()) {
                continue;
            }
            List<Row> slowest = slowest(all);
            long slowDelayed = slowest.stream().filter(r -> hostDelayMs.applyAsDouble(r) > HOST_DELAY_MS).count();
            out.printf(Locale.ROOT, "  %s: %d requests (%.1f%%) were held up over %.0f ms on the host (late, wake-up and a"
                            + " stalled enqueue, median %.2f ms): %d of the slowest %d; %s; %s; %s%n", mode, delayed.size(),
                    100.0 * delayed.size() / all.size(), HOST_DELAY_MS, median(delayed, hostDelayMs), slowDelayed, slowest.size(),
                    heldBy(delayed, hostDelayMs, HostTimes::runQueueMs, "their run-queue wait",
                            "spent at least half of it on the run queue (the host's scheduler or CPU quota)"),
                    heldBy(delayed, hostDelayMs, HostTimes::offCpuMs, "their time off the CPU",
                            "lost at least half of it while keeping their CPU (the hypervisor's steal or interrupts)"),
                    heldBy(delayed, hostDelayMs, HostTimes::wokeLateMs, "their park's return",
                            "woke from the client's park at least half of it after the arrival"));
        }
    }

    /**
     * Per mode whose enqueue times are known: how long the host took to enqueue a request (P50,
     * P99), and the requests whose enqueuing took over {@link #HOST_DELAY_MS} more than the
     * mode's median: their thread stalled mid-request (descheduled, or its CPU stopped), and since
     * the last kernel cannot start before its launch, the stall shows in the GPU span, not in
     * {@code late} or {@code wake-up}. Set beside another mode's P50, it is what the queue's launch
     * path costs a request (an XQueue against a plain stream).
     */
    private static void printEnqueue(Map<String, List<Row>> byMode, PrintStream out) {
        for (Map.Entry<String, List<Row>> entry : byMode.entrySet()) {
            List<Row> all = entry.getValue().stream().filter(r -> !Double.isNaN(r.host().enqueueMs())).toList();
            if (all.isEmpty()) {
                continue;
            }
            EnqueueStall stall = EnqueueStall.of(all);
            Predicate<Row> stalledMidRequest = r -> stall.ms(r) > HOST_DELAY_MS;
            List<Row> stalled = all.stream().filter(stalledMidRequest).toList();
            List<Row> slowest = slowest(entry.getValue());
            long slowStalled = slowest.stream().filter(stalledMidRequest).count();
            String stalls = stalled.isEmpty()
                    ? String.format(Locale.ROOT, "none took over %.0f ms more than that", HOST_DELAY_MS)
                    : String.format(Locale.ROOT, "%d took over %.0f ms more than that (the thread stalled mid-request, which"
                            + " lengthens the GPU span): %d of the slowest %d", stalled.size(), HOST_DELAY_MS, slowStalled,
                    slowest.size());
            out.printf(Locale.ROOT, "  %s: the host enqueued a request's commands in P50 %.3f, P99 %.3f ms; %s%n", entry.getKey(),
                    stall.usualMs(), percentile(all, r -> r.host().enqueueMs(), 99), stalls);
            List<Row> startKnown = all.stream().filter(r -> !Double.isNaN(r.host().startRecordMs())).toList();
            if (!startKnown.isEmpty()) {
                // On an XQueue the first call makes the queue ready: the policy's round on the
                // submitting thread runs in it, before the first kernel and inside the GPU span.
                out.printf(Locale.ROOT, "  %s: of that, the first call (the start event's record, which makes an XQueue"
                                + " ready) took P50 %.3f, P99 %.3f ms, before the first kernel's launch%n", entry.getKey(),
                        percentile(startKnown, r -> r.host().startRecordMs(), 50),
                        percentile(startKnown, r -> r.host().startRecordMs(), 99));
            }
        }
    }

    /** How many of {@code delayed} (with the part known) spent at least half their host delay in {@code part}. */
    private static String heldBy(List<Row> delayed, ToDoubleFunction<Row> hostDelayMs,
                                 ToDoubleFunction<HostTimes> part, String unknown, String what) {
        List<Row> known = delayed.stream().filter(r -> !Double.isNaN(part.applyAsDouble(r.host()))).toList();
        if (known.isEmpty()) {
            return unknown + " is unknown here";
        }
        long held = known.stream().filter(r -> part.applyAsDouble(r.host()) >= hostDelayMs.applyAsDouble(r) / 2).count();
        return held + (known.size() < delayed.size() ? " of " + known.size() + " known" : "") + " " + what;
    }

    /**
     * A request's host delay among {@code modeRows}: late to start, slow to see the end, and the
     * time its enqueuing took beyond the mode's median (a thread stalled mid-request, which the GPU
     * span otherwise hides; nothing where the enqueue time is unknown).
     */
    private static ToDoubleFunction<Row> hostDelay(List<Row> modeRows) {
        EnqueueStall stall = EnqueueStall.of(modeRows);
        return r -> Math.max(0, r.lateMs()) + Math.max(0, r.wakeMs()) + stall.ms(r);
    }

    /**
     * A mode's usual time to enqueue a request (the median of the known ones; NaN where none is
     * known), against which a request's stall is what its enqueuing took beyond it: the one
     * measure behind the host delay ({@link #hostDelay}) and the enqueue line ({@link #printEnqueue}).
     */
    private record EnqueueStall(double usualMs) {
        static EnqueueStall of(List<Row> modeRows) {
            List<Row> known = modeRows.stream().filter(r -> !Double.isNaN(r.host().enqueueMs())).toList();
            return new EnqueueStall(known.isEmpty() ? Double.NaN : median(known, r -> r.host().enqueueMs()));
        }

        /** Milliseconds of {@code r}'s enqueuing beyond the usual, 0 where it was not longer or is unknown. */
        double ms(Row r) {
            double stall = r.host().enqueueMs() - usualMs;
            return Double.isNaN(stall) ? 0 : Math.max(0, stall);
        }
    }

    /**
     * Per mode in which the LP's kernels yielded: the requests during which none did, set apart.
     * The LP was then running a kernel that cannot stop (or none): on the H200 these were half of
     * the slowest 1% (round 8: 29 requests, GPU span median 2.14 ms against 1.68, 18 of the
     * slowest 36; the batch model's max pool, 1.86 ms, cannot yield).
     */
    private static void printUnyielding(Map<String, List<Row>> byMode, PrintStream out) {
        for (Map.Entry<String, List<Row>> entry : byMode.entrySet()) {
            String mode = entry.getKey();
            List<Row> known = entry.getValue().stream().filter(BreakdownSummary::lpKnown).toList();
            List<Row> none = known.stream().filter(r -> r.lpYields() == 0).toList();
            if (none.size() == known.size() || none.isEmpty()) {
                continue; // nothing yielded in this mode, or every request stopped some LP kernel
            }
            List<Row> others = known.stream().filter(r -> r.lpYields() > 0).toList();
            List<Row> slowest = slowest(entry.getValue());
            long slowNone = slowest.stream().filter(r -> lpKnown(r) && r.lpYields() == 0).count();
            out.printf(Locale.ROOT, "  %s: %d requests (%.1f%%) stopped no LP kernel (it ran one that cannot yield, or none):"
                            + " GPU span median %.2f ms against %.2f ms for the others; %d of the slowest %d%s%n", mode, none.size(),
                    100.0 * none.size() / known.size(), median(none, Row::gpuMs), median(others, Row::gpuMs), slowNone,
                    slowest.size(), unknownLp(entry.getValue(), known));
        }
    }

    /** The slowest 1% of {@code all} by total latency, at least one request, slowest first. */
    private static List<Row> slowest(List<Row> all) {
        return all.stream().sorted(Comparator.comparingDouble(Row::totalMs).reversed()).limit(Math.max(1, all.size() / 100)).toList();
    }

    private static double median(List<Row> rows, ToDoubleFunction<Row> part) {
        double[] values = rows.stream().mapToDouble(part).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /**
     * Per mode whose requests crossed a socket: the scheduler server's messages per HP request in
     * each direction (mean and most), and the LP's suspend/resume decisions among them. One
     * request at its least costs two each way: the HP queue's ready and idle, the LP's suspend and
     * resume.
     */
    private static void printTraffic(Map<String, List<Row>> byMode, PrintStream out) {
        for (Map.Entry<String, List<Row>> entry : byMode.entrySet()) {
            String mode = entry.getKey();
            List<Row> all = entry.getValue();
            if (all.stream().allMatch(r -> r.traffic().equals(SocketTraffic.NONE))) {
                continue;
            }
            out.printf(Locale.ROOT, "  %s: socket messages per HP request: %.2f state changes to the server (most %d), "
                            + "%.2f decision frames from it (most %d), %.2f suspend/resume decisions for the LP (most %d)%n", mode,
                    mean(all, r -> r.traffic().toServer()), most(all, r -> r.traffic().toServer()),
                    mean(all, r -> r.traffic().fromServer()), most(all, r -> r.traffic().fromServer()),
                    mean(all, r -> r.traffic().lpDecisions()), most(all, r -> r.traffic().lpDecisions()));
        }
    }

    private static long most(List<Row> rows, java.util.function.ToLongFunction<Row> part) {
        return rows.stream().mapToLong(part).max().orElse(0);
    }

    /**
     * Per mode with LP suspensions: what the HP requests cost the LP, in suspended milliseconds per
     * request and in the share of the mode's time (the sum from the first request's arrival to the
     * last one's, plus one period), so that it can be set beside the LP's lost throughput.
     */
    private static void printLpCost(Map<String, List<Row>> byMode, PrintStream out) {
        for (Map.Entry<String, List<Row>> entry : byMode.entrySet()) {
            String mode = entry.getKey();
            List<Row> all = entry.getValue();
            List<Row> known = all.stream().filter(BreakdownSummary::lpKnown).toList();
            double suspendedMs = known.stream().mapToDouble(Row::lpSuspendedMs).sum();
            long suspends = known.stream().mapToLong(Row::lpSuspends).sum();
            if (suspends == 0 || all.size() < 2) {
                continue;
            }
            // One request's share of the mode's time: the mode's span (first arrival to last, plus one period) per request.
            double periodMs = (all.getLast().arrivalSeconds() - all.getFirst().arrivalSeconds()) * 1e3 / (all.size() - 1);
            double perRequestMs = suspendedMs / known.size();
            out.printf(Locale.ROOT, "  %s: the LP was suspended %d times (%.2f per HP request), %.3f ms per HP request, "
                            + "%.1f%% of the time%s%n", mode, suspends, (double) suspends / known.size(), perRequestMs,
                    100 * perRequestMs / periodMs, unknownLp(all, known));
        }
    }

    /**
     * Per mode whose LP suspensions were timed (requests whose stretch held exactly one, see
     * {@link RequestBreakdown#suspendMs}): when the LP's suspension began after a request's arrival
     * (P50, P99: the client's lateness, the policy's decision and, in two processes, the server's
     * round trip and the LP process's I/O thread), how many requests had several, and in how many
     * it began only after the request's last kernel had ended (a suspend decided or applied too
     * late to help). Then the requests during which the LP was never suspended (no suspension, no
     * suspended time; rows whose LP side is unknown are left out, see {@link #lpKnown}), with
     * their GPU span against the others'. Under HPF every request suspends the LP unless it
     * arrived suspended; where the HP process counted its own frames the line says in how many of
     * those it sent the server its ready and idle, which the server then took as no change (both
     * in one wake-up). Files from before 2026-12-05 have no such line: a request whose LP mark came
     * late read as 0 suspensions there.
     */
    private static void printLpSuspend(Map<String, List<Row>> byMode, PrintStream out) {
        for (Map.Entry<String, List<Row>> entry : byMode.entrySet()) {
            List<Row> all = entry.getValue();
            List<Row> known = all.stream().filter(BreakdownSummary::lpKnown).toList();
            List<Row> timed = known.stream().filter(r -> !Double.isNaN(r.lpSuspendMs())).toList();
            if (timed.isEmpty()) {
                continue;
            }
            long several = known.stream().filter(r -> r.lpSuspends() > 1).count();
            long afterTheEnd = timed.stream().filter(r -> r.lpSuspendMs() > r.lateMs() + r.waitMs() + r.gpuMs()).count();
            List<Row> never = known.stream().filter(r -> r.lpSuspends() == 0 && r.lpSuspendedMs() == 0).toList();
            String neverLine;
            if (never.isEmpty()) {
                neverLine = "every request suspended the LP or found it suspended";
            } else {
                List<Row> suspending = known.stream().filter(r -> r.lpSuspends() > 0).toList();
                List<Row> slowest = slowest(all);
                long slowNever = slowest.stream().filter(never::contains).count();
                boolean hpCounted = all.stream().anyMatch(r -> r.traffic().hpToServer() > 0);
                neverLine = String.format(Locale.ROOT, "%d requests (%.1f%%) never had the LP suspended: GPU span median %.2f ms"
                                + " against %.2f for those that suspended it, %d of the slowest %d%s", never.size(),
                        100.0 * never.size() / known.size(), median(never, Row::gpuMs),
                        suspending.isEmpty() ? Double.NaN : median(suspending, Row::gpuMs), slowNever, slowest.size(),
                        hpCounted ? String.format(Locale.ROOT, "; the HP process sent the server its ready and idle in %d of them",
                                never.stream().filter(r -> r.traffic().hpToServer() >= 2).count()) : "");
            }
            out.printf(Locale.ROOT, "  %s: the LP's suspension began P50 %.3f, P99 %.3f ms after the arrival (%d requests with"
                            + " one; %d with several), after the request's last kernel had ended in %d%s; %s%n", entry.getKey(),
                    percentile(timed, Row::lpSuspendMs, 50), percentile(timed, Row::lpSuspendMs, 99), timed.size(), several,
                    afterTheEnd, unknownLp(all, known), neverLine);
        }
    }

    /**
     * Whether a row's LP side is known: its LP suspended time is a number. It is NaN where no LP
     * queue was measured, and in two processes where the LP process's mark for the request came
     * late (a CPU-starved host): such a row's LP counts read 0 without meaning none, so the LP
     * columns and lines leave it out.
     */
    static boolean lpKnown(Row r) {
        return !Double.isNaN(r.lpSuspendedMs());
    }

    /** " (N with the LP side unknown)", or nothing where every row's is known. */
    private static String unknownLp(List<Row> all, List<Row> known) {
        return known.size() == all.size() ? "" : " (" + (all.size() - known.size()) + " with the LP side unknown)";
    }

    private static String pair(List<Row> slowest, List<Row> all, ToDoubleFunction<Row> part) {
        return cell(mean(slowest, part)) + " | " + cell(mean(all, part));
    }

    /**
     * One mean, six characters wide: "-" where no request knew the part (NaN: a host without the
     * counters), and a mean that rounds to zero as 0.00 rather than -0.00.
     */
    static String cell(double mean) {
        if (Double.isNaN(mean)) {
            return String.format(Locale.ROOT, "%6s", "-");
        }
        String text = String.format(Locale.ROOT, "%6.2f", mean);
        return text.equals(" -0.00") ? "  0.00" : text;
    }

    /** The mean of the known values (a row's run-queue wait may be NaN: unknown); NaN if none is known. */
    private static double mean(List<Row> rows, ToDoubleFunction<Row> part) {
        return rows.stream().mapToDouble(part).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }
}
