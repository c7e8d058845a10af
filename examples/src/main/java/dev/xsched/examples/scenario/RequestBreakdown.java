package dev.xsched.examples.scenario;

import dev.xsched.core.XQueue;
import dev.xsched.examples.bench.GcCounters;
import dev.xsched.examples.bench.RunQueueWait;
import dev.xsched.examples.bench.ThreadTimes;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.Event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Where each high-priority request's time went, so that the slowest ones can be explained: the
 * host's lateness in submitting it, its wait before its first kernel started on the GPU, the GPU
 * span of its kernels, and the host's wake-up after the last one, with what happened meanwhile
 * (LP yields, garbage collections). Written as {@value #FILE} beside hp-latencies.csv;
 * {@link BreakdownSummary} prints what the rows say.
 *
 * <p>How the GPU times are placed on the host clock: two events bracket each request's kernels on
 * its queue (recorded through the queue, so under XSched they are released with the kernels).
 * Their difference is the GPU span (first kernel start to last kernel end, queueing behind LP
 * blocks included). The start is placed on the host clock from the previous request's end event,
 * whose host time is known to within that request's wake-up (tens of microseconds): so
 * {@code wait_ms} is high by at most one wake-up, and {@code wake_ms} is the difference of two
 * wake-ups (it can be slightly negative). Clock drift over one request period is negligible.
 *
 * <p>What it cannot see: when the LP's blocks left the SMs. The suspend decision is timed
 * ({@code lp_suspend_ms}, below), the blocks' exit after it is not: {@code lp_yields} counts the LP
 * launches that stopped early while the request was in flight (each is relaunched on resume), and
 * {@code wait_ms} bounds the stop latency: the request's first kernel cannot start before LP
 * blocks leave the SMs it needs.
 *
 * <p>What the host did ({@link HostTimes}): {@code run_queue_ms} is the time the HP thread spent
 * runnable but not running ({@link RunQueueWait}: other threads had the CPUs, or the container's
 * CPU quota was spent) from the end of the previous request to the end of this one, so through
 * its wait for the arrival, its submission and its wait for the GPU; a request that was
 * {@code late} or slow to {@code wake} by about that much was delayed by the host's scheduler, not
 * by ours. {@code off_cpu_ms} is the time from the end of the client's park (it then spins to the
 * arrival) to the end of the request in which the thread kept its CPU and still did not run
 * ({@link ThreadTimes}): its virtual CPU was stopped (the hypervisor's steal) or served
 * interrupts; NaN where the thread was switched out meanwhile (on a GPU every wait here polls: the
 * arrival's spin, the driver's spin in a stream's synchronize, the HP XQueue's 5 ms poll; the
 * simulator's stream waits block). {@code woke_late_ms} is how far past the arrival the client's
 * park returned (0 when it returned in time to spin). NaN where the system does not say.
 *
 * <p>What the host's own work took ({@code enqueue_ms}): from submission to the last of the
 * request's commands enqueued (the launches through the HP queue, and the events around them).
 * The GPU span cannot end before the last launch reaches the device, so where the kernels are
 * shorter than a launch call (ResNet-18 at batch 1 on the H200: 23 launches of 6-26 us) the span
 * follows the host's pace, and a thread stalled mid-request (descheduled, or stopped by the
 * hypervisor) lengthens the GPU span rather than {@code late_ms} or {@code wake_ms}; a queue whose
 * launch path costs more shows here in every request.
 *
 * <p>What the request cost the LP: {@code lp_suspends} and {@code lp_suspended_ms} are the LP
 * queue's suspensions and the time it spent suspended ({@link dev.xsched.core.XQueueStats}, host
 * side: from the policy's suspend to its resume) from this request's submission to the next
 * one's (or to the end of the mode; each mark is taken as the thread's park before the arrival
 * ends, at most the arrival spin before the submission), so that a suspension lasting past the request's end (the
 * resume follows the HP queue's idleness through the scheduler) still counts whole. Under HPF
 * the LP runs nowhere else, so their sum over a mode is the LP's lost time before relaunch costs.
 * {@code lp_suspend_ms} is when that suspension began, from the request's arrival, where the
 * stretch holds exactly one that began after the arrival ({@link #suspendMs}; from
 * {@link dev.xsched.core.XQueueStats#lastSuspendedAt()}, the scheduler's clock, which is
 * {@link System#nanoTime()} in the demo: one clock for every process of a host): the time the
 * policy took to stop the LP for this request, up to the LP's queue marked suspended (the stop
 * flag's write and the LP blocks' exit follow); NaN otherwise: no suspension, or several (the HP
 * queue went idle and ready again mid-request, or {@code -Dxsched.scenario.hpCacheFlushMiB} put the
 * next request's cache flush into every stretch), where the latest would not be this request's
 * first stop.
 *
 * <p>In two processes ({@code xsched demo --processes 2}) the HP process measures the same parts,
 * without an LP queue of its own; {@link LpMarks} supplies the LP columns from the LP process and
 * adds what crossed the scheduler server's socket over the same stretch ({@code to_server},
 * {@code from_server}, {@code lp_decisions}: {@link SocketTraffic}), the HP process's own frames
 * counted here and kept apart as {@code hp_to_server}. A suspend decided late, or applied late by
 * the LP process, still falls in the request's stretch (a whole period): its {@code lp_suspend_ms}
 * then exceeds the request's time to its last kernel's end. A request whose stretch holds no
 * suspension though the HP process sent its ready and idle ({@code hp_to_server} at least 2) was
 * not decided at all: the server takes a ready and an idle that reach it in one wake-up as no
 * change.
 *
 * <p>One instance per mode, used by the HP thread only.
 */
final class RequestBreakdown implements AutoCloseable {
    static final String FILE = "hp-breakdown.csv";
    static final String HEADER = "mode,arrival_s,late_ms,wait_ms,gpu_ms,wake_ms,total_ms,lp_yields,gc_count,gc_ms,lp_suspends,"
            + "lp_suspended_ms,to_server,from_server,lp_decisions,run_queue_ms,off_cpu_ms,woke_late_ms,enqueue_ms,"
            + "lp_suspend_ms,hp_to_server,start_record_ms";
    /** The header before {@code start_record_ms} (runs up to 2026-12-05, session 38), still read: their rows' first call is unknown. */
    static final String HEADER_WITHOUT_START_RECORD = HEADER.substring(0, HEADER.indexOf(",start_record_ms"));
    /**
     * The header before {@code lp_suspend_ms} and {@code hp_to_server} (runs up to 2026-12-05), still
     * read: their rows' suspend time is unknown and their HP frames count 0.
     */
    static final String HEADER_WITHOUT_SUSPEND_TIME = HEADER.substring(0, HEADER.indexOf(",lp_suspend_ms"));
    /** The header before {@code enqueue_ms} (runs up to 2026-12-04), still read: their rows' enqueue time is unknown too. */
    static final String HEADER_WITHOUT_ENQUEUE = HEADER.substring(0, HEADER.indexOf(",enqueue_ms"));
    /** Every header {@link #read} takes: this version's, then the older ones. */
    private static final List<String> READABLE_HEADERS = List.of(HEADER, HEADER_WITHOUT_START_RECORD, HEADER_WITHOUT_SUSPEND_TIME,
            HEADER_WITHOUT_ENQUEUE);

    /**
     * What the host side took of one request, in milliseconds, NaN where unknown (see the class
     * comment): its thread waiting on the run queue, off the CPU while runnable and not queued,
     * the client's park returning past the arrival, and the thread's time to enqueue the request
     * (submission to the last command enqueued: the launches through the HP queue, and the
     * events around them), and of that the first call, the record of the request's start event
     * ({@code start_record_ms}): on an XQueue, the call that makes the queue ready, in which a
     * scheduler that decides on the submitting thread runs the policy's round (and, beside the
     * batch model, suspends it) before the request's first kernel is launched. The start event is
     * recorded before that round, so the round's time also lies inside the GPU span.
     */
    record HostTimes(double runQueueMs, double offCpuMs, double wokeLateMs, double enqueueMs, double startRecordMs) {
        static final HostTimes UNKNOWN = new HostTimes(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        /** What the host did to the thread, the first call's time unknown (rows from before it was measured). */
        HostTimes(double runQueueMs, double offCpuMs, double wokeLateMs, double enqueueMs) {
            this(runQueueMs, offCpuMs, wokeLateMs, enqueueMs, Double.NaN);
        }

        /** What the host did to the thread, the enqueue time unknown (rows from before it was measured). */
        HostTimes(double runQueueMs, double offCpuMs, double wokeLateMs) {
            this(runQueueMs, offCpuMs, wokeLateMs, Double.NaN, Double.NaN);
        }
    }

    /**
     * One request; times in milliseconds, arrival in seconds from the start of the measured window.
     * {@code lpSuspendMs} is when the LP's one suspension in the request's stretch began, from the
     * request's arrival ({@link #suspendMs}): how long the policy took to stop the LP for it; NaN
     * where the stretch held none or several, or nobody measured it. {@code lpSuspendedMs} is NaN
     * where the LP side is unknown (no LP queue measured, or in two processes a late mark).
     */
    record Row(String mode, double arrivalSeconds, double lateMs, double waitMs, double gpuMs, double wakeMs,
               double totalMs, long lpYields, long gcCount, long gcMs, long lpSuspends, double lpSuspendedMs,
               double lpSuspendMs, SocketTraffic traffic, HostTimes host) {
        /** A request of one process: nothing crossed a socket; what the host did and when the LP was suspended unknown. */
        Row(String mode, double arrivalSeconds, double lateMs, double waitMs, double gpuMs, double wakeMs,
            double totalMs, long lpYields, long gcCount, long gcMs, long lpSuspends, double lpSuspendedMs) {
            this(mode, arrivalSeconds, lateMs, waitMs, gpuMs, wakeMs, totalMs, lpYields, gcCount, gcMs, lpSuspends,
                    lpSuspendedMs, Double.NaN, SocketTraffic.NONE, HostTimes.UNKNOWN);
        }

        /** A request whose LP suspensions are not known yet (they are filled in at the next request). */
        Row(String mode, double arrivalSeconds, double lateMs, double waitMs, double gpuMs, double wakeMs,
            double totalMs, long lpYields, long gcCount, long gcMs) {
            this(mode, arrivalSeconds, lateMs, waitMs, gpuMs, wakeMs, totalMs, lpYields, gcCount, gcMs, 0, 0);
        }

        /** This row with the LP side's figures over its stretch (its suspend time NaN for none). */
        Row withLp(long yields, long suspends, double suspendedMs, double suspendMs) {
            return new Row(mode, arrivalSeconds, lateMs, waitMs, gpuMs, wakeMs, totalMs, yields, gcCount, gcMs, suspends,
                    suspendedMs, suspendMs, traffic, host);
        }

        /** This row under another mode label (a mode run with several settings, each its own label). */
        Row withMode(String label) {
            return new Row(label, arrivalSeconds, lateMs, waitMs, gpuMs, wakeMs, totalMs, lpYields, gcCount, gcMs, lpSuspends,
                    lpSuspendedMs, lpSuspendMs, traffic, host);
        }

        Row withTraffic(SocketTraffic traffic) {
            return new Row(mode, arrivalSeconds, lateMs, waitMs, gpuMs, wakeMs, totalMs, lpYields, gcCount, gcMs, lpSuspends,
                    lpSuspendedMs, lpSuspendMs, traffic, host);
        }

        Row withHost(HostTimes host) {
            return new Row(mode, arrivalSeconds, lateMs, waitMs, gpuMs, wakeMs, totalMs, lpYields, gcCount, gcMs, lpSuspends,
                    lpSuspendedMs, lpSuspendMs, traffic, host);
        }

        /** One line of {@value #FILE}, also how the HP process hands its rows over. */
        String csv() {
            return String.format(Locale.ROOT, "%s,%.6f,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%d,%d,%d,%.4f,%d,%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%.4f",
                    mode, arrivalSeconds, lateMs, waitMs, gpuMs, wakeMs, totalMs, lpYields, gcCount, gcMs, lpSuspends,
                    lpSuspendedMs, traffic.toServer(), traffic.fromServer(), traffic.lpDecisions(), host.runQueueMs(),
                    host.offCpuMs(), host.wokeLateMs(), host.enqueueMs(), lpSuspendMs, traffic.hpToServer(),
                    host.startRecordMs());
        }

        /**
         * Reads what {@link #csv()} wrote, or a row of an older file: before {@code start_record_ms}
         * (its time NaN), also before {@code lp_suspend_ms} and {@code hp_to_server} (suspend time
         * NaN, HP frames 0), or also before {@code enqueue_ms} (its enqueue time NaN too).
         */
        static Row parse(String line) {
            String[] f = line.split(",", -1);
            if (!READABLE_COLUMNS.contains(f.length)) {
                throw new IllegalArgumentException("not a row of " + FILE + ": " + line);
            }
            boolean current = f.length >= COLUMNS_WITHOUT_START_RECORD;
            return new Row(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]), Long.parseLong(f[7]),
                    Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Double.parseDouble(f[11]),
                    current ? Double.parseDouble(f[19]) : Double.NaN,
                    new SocketTraffic(Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14]),
                            current ? Long.parseLong(f[20]) : 0),
                    new HostTimes(Double.parseDouble(f[15]), Double.parseDouble(f[16]), Double.parseDouble(f[17]),
                            f.length > COLUMNS_WITHOUT_ENQUEUE ? Double.parseDouble(f[18]) : Double.NaN,
                            f.length == COLUMNS ? Double.parseDouble(f[21]) : Double.NaN));
        }

        private static final int COLUMNS = HEADER.split(",").length;
        private static final int COLUMNS_WITHOUT_START_RECORD = HEADER_WITHOUT_START_RECORD.split(",").length;
        private static final int COLUMNS_WITHOUT_SUSPEND_TIME = HEADER_WITHOUT_SUSPEND_TIME.split(",").length;
        private static final int COLUMNS_WITHOUT_ENQUEUE = HEADER_WITHOUT_ENQUEUE.split(",").length;
        private static final Set<Integer> READABLE_COLUMNS = READABLE_HEADERS.stream().map(h -> h.split(",").length)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * A request's {@code lp_suspend_ms}: when its stretch's one suspension began, from its arrival,
     * in milliseconds; NaN unless the stretch holds exactly one suspension that began at or after
     * the arrival (with several, the latest is not the request's first stop; one that began before
     * the arrival, possible in two processes whose stretch opens 1 ms early, was another request's).
     *
     * @param suspends           suspensions in the stretch
     * @param latestSinceArrival nanoseconds from the arrival to the latest suspension's start
     */
    static double suspendMs(long suspends, long latestSinceArrival) {
        return suspends == 1 && latestSinceArrival >= 0 ? latestSinceArrival / 1e6 : Double.NaN;
    }

    /**
     * The LP queue's cumulative suspensions and suspended time, when its latest suspension began
     * ({@link System#nanoTime()}: the scheduler's clock in the demo), and this process's socket
     * traffic, at one moment.
     */
    private record Mark(long suspensions, long suspendedNanos, long lastSuspendedAt, SocketTraffic traffic) {
    }

    private final String mode;
    private final CommandQueue hp;
    private final XQueue lp;
    private final Supplier<SocketTraffic> traffic;
    private final long measureFrom;
    private final List<Row> rows = new ArrayList<>();
    private Event previousEnd;
    private long previousDone;
    /** The HP thread's clocks; created on that thread (the constructor runs there). */
    private final ThreadTimes times;
    /** The HP thread's clocks at the end of the previous request. */
    private ThreadTimes.Sample previousSample;
    private Event start;
    private Event end;
    private Row last;
    private Mark lastMark;
    /** The last request's arrival ({@link System#nanoTime()}). */
    private long lastArrival;
    /** The kept row whose LP suspensions are still being counted (-1: none), the mark it counts from and its arrival. */
    private int openRow = -1;
    private Mark openMark;
    private long openArrival;

    /**
     * Anchors the GPU clock: records an event on {@code hp} and waits for it. Runs on the HP
     * thread, whose clocks it reads from then on.
     *
     * @param lp      the LP queue when it is an {@link XQueue} of this process (its yields are counted), else null
     * @param traffic this process's socket traffic to the scheduler server ({@code () -> SocketTraffic.NONE} without one)
     */
    RequestBreakdown(String mode, Device device, CommandQueue hp, XQueue lp, Supplier<SocketTraffic> traffic, long measureFrom) {
        this.mode = mode;
        this.hp = hp;
        this.lp = lp;
        this.traffic = traffic;
        this.measureFrom = measureFrom;
        this.previousEnd = device.createEvent();
        this.start = device.createEvent();
        this.end = device.createEvent();
        hp.record(previousEnd);
        hp.synchronize();
        previousDone = System.nanoTime();
        times = ThreadTimes.ofCurrentThread();
        previousSample = times.sampleAfter();
    }

    /**
     * Waits for {@code arrival} ({@link System#nanoTime()}), then submits one request
     * ({@code forward} enqueues it on the HP queue), waits for it, and returns the host time it
     * completed; {@link #keep()} then adds it to the rows. The bookkeeping comes before the wait,
     * so that it is not counted as lateness; the LP mark that ends the previous row's stretch and
     * starts this one's is taken between the park and the spin, so that it falls just before this
     * request's submission (the previous request's suspension of the LP, which ends after that
     * request, then counts whole in its row) and its cost is absorbed by the spin.
     */
    long request(long arrival, ArrivalWait wait, Runnable forward) {
        long yieldsBefore = lp == null ? 0 : lp.stats().yielded();
        GcCounters gcBefore = GcCounters.now();
        wait.park(arrival);
        Mark mark = mark();
        settleOpenRow(mark);
        ThreadTimes.Sample spinFrom = times.sample();
        wait.spin(arrival);
        long submit = System.nanoTime();
        hp.record(start);
        long started = System.nanoTime();
        forward.run();
        hp.record(end);
        long enqueued = System.nanoTime();
        hp.synchronize();
        long done = System.nanoTime();
        ThreadTimes.Sample after = times.sampleAfter(); // after done: its reads are not part of the latency
        GcCounters gc = GcCounters.now().since(gcBefore);
        long yields = lp == null ? 0 : lp.stats().yielded() - yieldsBefore;
        double gpuStartMs = (previousDone - arrival) / 1e6 + start.elapsedMillis(previousEnd);
        double gpuMs = end.elapsedMillis(start);
        double lateMs = (submit - arrival) / 1e6;
        double totalMs = (done - arrival) / 1e6;
        last = new Row(mode, (arrival - measureFrom) / 1e9, lateMs, gpuStartMs - lateMs, gpuMs,
                totalMs - gpuStartMs - gpuMs, totalMs, yields, gc.count(), gc.millis())
                .withHost(new HostTimes(previousSample.runQueueMillisUntil(after), spinFrom.offCpuMillisUntil(after),
                        Math.max(0, spinFrom.wallNanos() - arrival) / 1e6, (enqueued - submit) / 1e6, (started - submit) / 1e6));
        previousSample = after;
        Event swap = previousEnd;
        previousEnd = end;
        end = swap;
        previousDone = done;
        lastMark = mark;
        lastArrival = arrival;
        return done;
    }

    /** Keeps the last request (one inside the measured window). */
    void keep() {
        rows.add(last);
        openRow = rows.size() - 1;
        openMark = lastMark;
        openArrival = lastArrival;
    }

    /** The kept rows; the last one's LP suspensions count up to now. */
    List<Row> rows() {
        settleOpenRow(mark());
        return List.copyOf(rows);
    }

    private void settleOpenRow(Mark now) {
        if (openRow >= 0) {
            Row row = rows.get(openRow);
            long suspends = now.suspensions() - openMark.suspensions();
            // Without an LP queue here the LP's suspensions are unknown (NaN), not none: in two
            // processes LpMarks fills them in from the LP process.
            double suspendedMs = lp == null ? Double.NaN : (now.suspendedNanos() - openMark.suspendedNanos()) / 1e6;
            double suspendMs = lp == null ? Double.NaN : suspendMs(suspends, now.lastSuspendedAt() - openArrival);
            rows.set(openRow, row.withLp(row.lpYields(), suspends, suspendedMs, suspendMs)
                    .withTraffic(now.traffic().minus(openMark.traffic())));
            openRow = -1;
        }
    }

    private Mark mark() {
        SocketTraffic sent = traffic.get();
        if (lp == null) {
            return new Mark(0, 0, -1, sent);
        }
        var stats = lp.stats();
        return new Mark(stats.suspensions(), stats.suspendedNanos(), stats.lastSuspendedAt(), sent);
    }

    @Override
    public void close() {
        times.close();
        previousEnd.close();
        start.close();
        end.close();
    }

    /**
     * The rows {@link #write} left in {@code folder}/{@value #FILE}.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if it is not a breakdown (wrong header, a malformed row)
     */
    static List<Row> read(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !READABLE_HEADERS.contains(lines.getFirst())) {
            throw new IllegalArgumentException(file + " does not start with the header of " + FILE + " (" + HEADER + ")");
        }
        return lines.subList(1, lines.size()).stream().filter(line -> !line.isBlank()).map(Row::parse).toList();
    }

    /** Writes every mode's rows to {@code folder}/{@value #FILE}. */
    static Path write(List<Row> rows, Path folder) throws IOException {
        Files.createDirectories(folder);
        StringBuilder sb = new StringBuilder(HEADER + "\n");
        for (Row r : rows) {
            sb.append(r.csv()).append('\n');
        }
        Path file = folder.resolve(FILE);
        Files.writeString(file, sb);
        return file;
    }
}
