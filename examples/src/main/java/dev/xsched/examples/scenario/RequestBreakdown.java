package dev.xsched.examples.scenario;

import dev.xsched.core.XQueue;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.Event;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Where each high-priority request's time went, so that the slowest ones can be explained: the
 * host's lateness in submitting it, its wait before its first kernel started on the GPU, the GPU
 * span of its kernels, and the host's wake-up after the last one, with what happened meanwhile
 * (LP yields, garbage collections). Written as {@value #FILE} beside hp-latencies.csv.
 *
 * <p>How the GPU times are placed on the host clock: two events bracket each request's kernels on
 * its queue (recorded through the queue, so under XSched they are released with the kernels).
 * Their difference is the GPU span (first kernel start to last kernel end, queueing behind LP
 * blocks included). The start is placed on the host clock from the previous request's end event,
 * whose host time is known to within that request's wake-up (tens of microseconds): so
 * {@code wait_ms} is high by at most one wake-up, and {@code wake_ms} is the difference of two
 * wake-ups (it can be slightly negative). Clock drift over one request period is negligible.
 *
 * <p>What it cannot see: xsched-core exposes no per-suspend timing, so the LP stop latency is
 * not measured directly. {@code lp_yields} counts the LP launches that stopped early while the
 * request was in flight (each is relaunched on resume), and {@code wait_ms} bounds the stop
 * latency: the request's first kernel cannot start before LP blocks leave the SMs it needs.
 *
 * <p>One instance per mode, used by the HP thread only.
 */
final class RequestBreakdown implements AutoCloseable {
    static final String FILE = "hp-breakdown.csv";

    /** One request; times in milliseconds, arrival in seconds from the start of the measured window. */
    record Row(String mode, double arrivalSeconds, double lateMs, double waitMs, double gpuMs, double wakeMs,
               double totalMs, long lpYields, long gcCount, long gcMs) {
    }

    private final String mode;
    private final CommandQueue hp;
    private final XQueue lp;
    private final long measureFrom;
    private final List<Row> rows = new ArrayList<>();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private Event previousEnd;
    private long previousDone;
    private Event start;
    private Event end;
    private Row last;

    /**
     * Anchors the GPU clock: records an event on {@code hp} and waits for it.
     *
     * @param lp the LP queue when it is an {@link XQueue} (its yields are counted), else null
     */
    RequestBreakdown(String mode, Device device, CommandQueue hp, XQueue lp, long measureFrom) {
        this.mode = mode;
        this.hp = hp;
        this.lp = lp;
        this.measureFrom = measureFrom;
        this.previousEnd = device.createEvent();
        this.start = device.createEvent();
        this.end = device.createEvent();
        hp.record(previousEnd);
        hp.synchronize();
        previousDone = System.nanoTime();
    }

    /**
     * Submits one request ({@code forward} enqueues it on the HP queue), waits for it, and returns
     * the host time it completed; {@link #keep()} then adds it to the rows.
     */
    long request(long arrival, Runnable forward) {
        long yieldsBefore = lp == null ? 0 : lp.stats().yielded();
        long[] gcBefore = gc();
        long submit = System.nanoTime();
        hp.record(start);
        forward.run();
        hp.record(end);
        hp.synchronize();
        long done = System.nanoTime();
        long[] gcAfter = gc();
        long yields = lp == null ? 0 : lp.stats().yielded() - yieldsBefore;
        double gpuStartMs = (previousDone - arrival) / 1e6 + start.elapsedMillis(previousEnd);
        double gpuMs = end.elapsedMillis(start);
        double lateMs = (submit - arrival) / 1e6;
        double totalMs = (done - arrival) / 1e6;
        last = new Row(mode, (arrival - measureFrom) / 1e9, lateMs, gpuStartMs - lateMs, gpuMs,
                totalMs - gpuStartMs - gpuMs, totalMs, yields, gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1]);
        Event swap = previousEnd;
        previousEnd = end;
        end = swap;
        previousDone = done;
        return done;
    }

    /** Keeps the last request (one inside the measured window). */
    void keep() {
        rows.add(last);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    private long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean c : collectors) {
            count += Math.max(0, c.getCollectionCount());
            millis += Math.max(0, c.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    @Override
    public void close() {
        previousEnd.close();
        start.close();
        end.close();
    }

    /** Writes every mode's rows to {@code folder}/{@value #FILE}. */
    static Path write(List<Row> rows, Path folder) throws IOException {
        Files.createDirectories(folder);
        StringBuilder sb = new StringBuilder("mode,arrival_s,late_ms,wait_ms,gpu_ms,wake_ms,total_ms,lp_yields,gc_count,gc_ms\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%.6f,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%d,%d%n", r.mode(), r.arrivalSeconds(),
                    r.lateMs(), r.waitMs(), r.gpuMs(), r.wakeMs(), r.totalMs(), r.lpYields(), r.gcCount(), r.gcMs()));
        }
        Path file = folder.resolve(FILE);
        Files.writeString(file, sb);
        return file;
    }

    /**
     * For each mode, the mean of each part over its slowest 1% of requests (at least one) beside
     * the mean over all: which part makes the tail.
     */
    static void summarize(List<Row> rows, PrintStream out) {
        List<String> modes = rows.stream().map(Row::mode).distinct().toList();
        if (modes.isEmpty()) {
            return;
        }
        out.println("where the HP time goes (ms; mean over the slowest 1% | over all requests):");
        out.printf(Locale.ROOT, "  %-18s %6s %15s %15s %15s %15s %13s %9s%n", "mode", "n", "late", "wait for GPU", "GPU span",
                "wake-up", "LP yields", "GCs");
        for (String mode : modes) {
            List<Row> all = rows.stream().filter(r -> r.mode().equals(mode)).toList();
            List<Row> slowest = all.stream().sorted(Comparator.comparingDouble(Row::totalMs).reversed())
                    .limit(Math.max(1, all.size() / 100)).toList();
            out.printf(Locale.ROOT, "  %-18s %6d %15s %15s %15s %15s %13s %9s%n", mode, slowest.size(),
                    pair(slowest, all, Row::lateMs), pair(slowest, all, Row::waitMs), pair(slowest, all, Row::gpuMs),
                    pair(slowest, all, Row::wakeMs), pair(slowest, all, r -> r.lpYields()),
                    pair(slowest, all, r -> r.gcCount()));
        }
    }

    private static String pair(List<Row> slowest, List<Row> all, java.util.function.ToDoubleFunction<Row> part) {
        return String.format(Locale.ROOT, "%6.2f | %6.2f", mean(slowest, part), mean(all, part));
    }

    private static double mean(List<Row> rows, java.util.function.ToDoubleFunction<Row> part) {
        return rows.stream().mapToDouble(part).average().orElse(Double.NaN);
    }
}
