package dev.xsched.examples.bench;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.SlicedKernels;
import dev.xsched.hip.Stream;
import dev.xsched.hip.YieldableKernels;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code xsched bench preemption}: how long a high-priority kernel waits behind low-priority work,
 * per preemption mechanism and LP thread-block length. The LP queue is kept busy with kernels of
 * two waves of blocks that spin for 0.1, 2 or 20 ms; the HP side submits a one-block kernel every
 * ~10 ms and measures submit-to-completion (the probe itself runs for microseconds, so this is
 * submit-to-start plus a few microseconds). LP throughput is reported against LP alone.
 *
 * <p>Mechanisms: {@code gating} (HPF over XQueues, LP threshold 2, equal stream priorities),
 * {@code hw-priority} (plain streams, HP on the highest stream priority), {@code both}, and
 * {@code sliced} (gating with the LP kernels launched one wave of blocks per slice), and
 * {@code cooperative} (gating with {@linkplain YieldableKernels yieldable} LP kernels, equal stream
 * priorities: each LP block checks for a yield every {@code --check-us} microseconds of spinning,
 * 100 by default, saves how far it got and stops; the LP queue launches it again on resume).
 *
 * <p>The simulator runs yieldable kernels to the end (it does not model the check), so its
 * cooperative row equals gating; the mechanism is measured on a GPU.
 */
public final class PreemptionBenchmark {
    static final String SOURCE = SlicedKernels.PRELUDE + """
            extern "C" __global__ void lp_spin(long long cycles, int xsched_offset) {
                long long start = clock64();
                while (clock64() - start < cycles) { }
            }
            extern "C" __global__ void hp_probe(int unused) { }
            """ + YieldableKernels.PRELUDE + """
            // The same spin with a yield check every check_cycles; progress is the step reached.
            // One time origin for the whole block and a running deadline per step: restarting the
            // spin at every step (start = clock64() per step) made even a version without any
            // yield code 44% slower than lp_spin on an H200 (measured, cause not pinned down); this
            // form is 7% slower. A resumed block moves its origin back by the steps done. Launch
            // bounds: 8 blocks of 256 per SM, as lp_spin runs.
            extern "C" __global__ void __launch_bounds__(256, 8)
            lp_spin_yield(long long cycles, long long check_cycles, XSCHED_YIELD_PARAMS) {
                xsched_yield_t y = XSCHED_YIELD_CONTEXT;
                int from = xsched_block_begin(y);
                if (from < 0) return;
                int steps = (int) ((cycles + check_cycles - 1) / check_cycles);
                long long origin = clock64() - from * check_cycles;
                for (int step = from; step < steps; step++) {
                    if (xsched_yield_requested(y)) {
                        xsched_block_yield(y, step);
                        return;
                    }
                    long long end = (step + 1) * check_cycles < cycles ? (step + 1) * check_cycles : cycles;
                    while (clock64() - origin < end) { }
                }
                xsched_block_end(y);
            }
            """;
    private static final int THREADS = 256;
    private static final int BLOCKS_PER_CU = 8;

    /** How the LP kernels are launched. */
    enum LpLaunch { WHOLE, SLICED, YIELDABLE }

    /** A preemption mechanism: the mode of the two queues, the HP queue's stream priority, the LP launches. */
    enum Mechanism {
        GATING("gating", Mode.xsched("hpf"), false, LpLaunch.WHOLE),
        HW_PRIORITY("hw-priority", Mode.NATIVE_PRIORITY, true, LpLaunch.WHOLE),
        BOTH("both", Mode.xsched("hpf"), true, LpLaunch.WHOLE),
        SLICED("sliced", Mode.xsched("hpf"), false, LpLaunch.SLICED),
        COOPERATIVE("cooperative", Mode.xsched("hpf"), false, LpLaunch.YIELDABLE);

        final String label;
        final Mode mode;
        final boolean hpStreamPriority;
        final LpLaunch lpLaunch;

        Mechanism(String label, Mode mode, boolean hpStreamPriority, LpLaunch lpLaunch) {
            this.label = label;
            this.mode = mode;
            this.hpStreamPriority = hpStreamPriority;
            this.lpLaunch = lpLaunch;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Device device;
    private final int waveBlocks;
    private final boolean simulated;
    private final Kernel lpSpin;
    private final Kernel hpProbe;
    private final Kernel lpSpinYield;
    private final double checkUs;
    private final int probes;
    private final PrintStream out;

    private PreemptionBenchmark(Device device, HipModule module, int probes, double checkUs, PrintStream out) {
        this.device = device;
        this.simulated = device.platform().isSimulated();
        this.waveBlocks = simulated && device.platform() instanceof SimulatedPlatform sim
                ? sim.slotsPerDevice() : Math.max(1, device.computeUnits()) * BLOCKS_PER_CU;
        this.lpSpin = module.function("lp_spin", ParamType.LONG, ParamType.INT);
        this.hpProbe = module.function("hp_probe", ParamType.INT);
        this.lpSpinYield = module.function("lp_spin_yield", ParamType.LONG, ParamType.LONG,
                ParamType.POINTER, ParamType.POINTER, ParamType.POINTER);
        this.checkUs = checkUs;
        this.probes = probes;
        this.out = out;
    }

    /** One row of the matrix. */
    record Row(double blockMs, Mechanism mechanism, double p50Ms, double p99Ms, double maxMs, double lpKernelsPerSec,
               double lpVsAlone, long lpYields) {
        RowJson json() {
            return new RowJson(blockMs, mechanism.toString(), Json.figure(p50Ms), Json.figure(p99Ms), Json.figure(maxMs),
                    Json.figure(lpKernelsPerSec), Json.figure(lpVsAlone), lpYields);
        }
    }

    /** One row of preemption.json. */
    record RowJson(double blockMs, String mechanism, Double hpP50Ms, Double hpP99Ms, Double hpMaxMs, Double lpKernelsPerS,
                   Double lpVsAlone, long lpYields) {
    }

    /**
     * Options of {@code xsched bench preemption}.
     *
     * @param blockMs LP thread-block lengths to measure, in ms
     * @param probes  HP probes per mechanism and block length
     * @param checkUs cooperative yield: spinning between two yield checks, in microseconds
     * @param output  folder for preemption.json, or null for none
     */
    public record Options(List<Double> blockMs, int probes, double checkUs, Path output) {
        public static final List<Double> DEFAULT_BLOCK_MS = List.of(0.1, 2.0, 20.0);
        public static final int DEFAULT_PROBES = 40;
        public static final double DEFAULT_CHECK_US = 100;
        /** Below this the P99 of the probes is their maximum. */
        public static final int MIN_PROBES = 5;

        public Options {
            blockMs = List.copyOf(blockMs);
            if (blockMs.isEmpty() || blockMs.stream().anyMatch(ms -> !(ms > 0))) {
                throw new IllegalArgumentException("--block-ms takes block lengths > 0 ms, got " + blockMs);
            }
            if (probes < MIN_PROBES) {
                throw new IllegalArgumentException("--probes must be >= " + MIN_PROBES + ", got " + probes);
            }
            if (!(checkUs > 0)) {
                throw new IllegalArgumentException("--check-us must be > 0, got " + checkUs);
            }
        }
    }

    /** Measures every mechanism at every block length on the chosen platform's device 0 (or the simulated one). */
    public static void run(Options options, PrintStream out) throws IOException, InterruptedException {
        List<Double> blockMs = options.blockMs();
        int probes = options.probes();
        double checkUs = options.checkUs();
        Path output = options.output();
        HipPlatform platform = Hip.platformOrSimulator();
        Device device = platform.device(0);
        out.println("platform " + platform.name() + ", device " + device.name() + (platform.isSimulated() ? " [SIMULATED]" : ""));
        List<Row> rows = new ArrayList<>();
        try (HipModule module = device.loadModule(device.compiler().compile("preemption.cu", SOURCE))) {
            PreemptionBenchmark bench = new PreemptionBenchmark(device, module, probes, checkUs, out);
            for (double ms : blockMs) {
                LpWork work = bench.lpWork(ms);
                double alone = bench.lpAlone(work);
                out.printf(Locale.ROOT, "LP blocks of %.1f ms: %d blocks per kernel (2 waves), %.1f kernels/s alone%n",
                        ms, 2 * bench.waveBlocks, alone);
                bench.printYieldCost(work, alone);
                for (Mechanism mechanism : Mechanism.values()) {
                    rows.add(bench.measure(work, mechanism, alone));
                }
            }
        }
        out.println();
        out.printf("%-9s %-12s %9s %9s %9s %10s %8s%n", "LP block", "mechanism", "HP p50", "HP p99", "HP max", "LP kern/s", "LP/alone");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%6.1f ms %-12s %6.3f ms %6.3f ms %6.3f ms %10.1f %7.1f%%%n", r.blockMs(), r.mechanism(),
                    r.p50Ms(), r.p99Ms(), r.maxMs(), r.lpKernelsPerSec(), 100 * r.lpVsAlone());
        }
        out.println("(HP = a one-block kernel, submit to completion seen by the host; LP kept busy with 2-wave kernels)");
        if (output != null) {
            out.println("wrote " + Json.write(output.resolve("preemption.json"), rows.stream().map(Row::json).toList()));
        }
    }

    /** The LP kernel for one block length: its launch, and the yieldable variant's. */
    private record LpWork(double blockMs, Kernel kernel, LaunchConfig config, KernelArgs args, Kernel yieldKernel,
                          KernelArgs yieldArgs) {
    }

    private LpWork lpWork(double blockMs) {
        LaunchConfig config = LaunchConfig.of(2 * waveBlocks, THREADS);
        if (simulated) {
            Duration block = Duration.ofNanos(Math.round(blockMs * 1e6));
            return new LpWork(blockMs, SimulatedPlatform.withBlockDuration(lpSpin, block), config, KernelArgs.builder().i64(0).build(),
                    SimulatedPlatform.withBlockDuration(lpSpinYield, block), KernelArgs.builder().i64(0).i64(1).build());
        }
        long cycles = Math.max(1, Math.round(blockMs * device.clockRateKHz()));
        long checkCycles = Math.max(1, Math.round(checkUs / 1000 * device.clockRateKHz()));
        return new LpWork(blockMs, lpSpin, config, KernelArgs.builder().i64(cycles).build(),
                lpSpinYield, KernelArgs.builder().i64(cycles).i64(checkCycles).build());
    }

    /** What the yield checks cost by themselves, before any preemption: the yieldable LP kernel alone. */
    private void printYieldCost(LpWork work, double alone) {
        double unmanaged;
        try (Stream stream = device.createStream()) {
            unmanaged = lpRate(stream, work, true);
        }
        double onQueue;
        try (XScheduler solo = XScheduler.builder().name("preemption-solo").policy("hpf").jmx(false).build()) {
            XQueue q = solo.createQueue(device, device.streamPriorityRange().least(), new XQueueConfig("lp", 2, 1));
            onQueue = lpRate(q, work, true);
        }
        out.printf(Locale.ROOT, "  yieldable LP kernel alone: %.1f kernels/s on a stream (checks never asked to stop), "
                + "%.1f on an XQueue (%.1f%% and %.1f%% of the plain kernel)%n", unmanaged, onQueue,
                100 * unmanaged / alone, 100 * onQueue / alone);
    }

    /** LP kernels per second with nothing else on the device. */
    private double lpAlone(LpWork work) {
        try (Stream stream = device.createStream()) {
            return lpRate(stream, work, false);
        }
    }

    /** LP kernels per second launched back to back on {@code queue}, the plain or the yieldable kernel. */
    private double lpRate(CommandQueue queue, LpWork work, boolean yieldable) {
        int n = (int) Math.max(3, Math.min(40, Math.round(400 / (2 * work.blockMs()))));
        Runnable launch = yieldable
                ? () -> queue.launchYieldable(work.yieldKernel(), work.config(), work.yieldArgs())
                : () -> queue.launch(work.kernel(), work.config(), work.args().withI32(0));
        launch.run();
        queue.synchronize();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            launch.run();
        }
        queue.synchronize();
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private Row measure(LpWork work, Mechanism mechanism, double alone) throws InterruptedException {
        int blocksPerSlice = mechanism.lpLaunch == LpLaunch.SLICED ? waveBlocks : work.config().grid().x();
        var range = device.streamPriorityRange();
        int hpPriority = mechanism.hpStreamPriority ? range.greatest() : range.least();
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            CommandQueue hp;
            CommandQueue lp;
            XScheduler scheduler = null;
            switch (mechanism.mode) {
                case Mode.Scheduled scheduled -> {
                    scheduler = XScheduler.builder().name("preemption-" + mechanism).policy(scheduled.policy()).jmx(false).build();
                    resources.add(scheduler);
                    XQueue hpQueue = scheduler.createQueue(device, hpPriority, XQueueConfig.defaults("hp"));
                    hpQueue.hint(new Hint.Priority(10));
                    XQueue lpQueue = scheduler.createQueue(device, range.least(), new XQueueConfig("lp", 2, 1));
                    lpQueue.hint(new Hint.Priority(-10));
                    hp = hpQueue;
                    lp = lpQueue;
                }
                case Mode.Native plain -> {
                    Stream hpStream = device.createStream(hpPriority);
                    resources.add(hpStream);
                    Stream lpStream = device.createStream(range.least());
                    resources.add(lpStream);
                    hp = hpStream;
                    lp = lpStream;
                }
                case Mode.Standalone standalone -> throw new IllegalStateException("a mechanism runs HP and LP together");
            }
            return run(work, mechanism, hp, lp, scheduler, blocksPerSlice, alone);
        } finally {
            for (int i = resources.size() - 1; i >= 0; i--) {
                try {
                    resources.get(i).close();
                } catch (Exception e) {
                    out.println("  warning: closing " + resources.get(i) + ": " + e);
                }
            }
        }
    }

    private Row run(LpWork work, Mechanism mechanism, CommandQueue hp, CommandQueue lp, XScheduler scheduler,
                    int blocksPerSlice, double alone) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lpDone = new AtomicLong();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        // The LP side keeps three kernels outstanding: it waits for the oldest before adding one.
        Thread lpThread = Thread.ofPlatform().name("preemption-lp").start(() -> {
            ArrayDeque<Event> outstanding = new ArrayDeque<>();
            try {
                while (!stop.get()) {
                    if (mechanism.lpLaunch == LpLaunch.YIELDABLE) {
                        lp.launchYieldable(work.yieldKernel(), work.config(), work.yieldArgs());
                    } else {
                        lp.launchSliced(work.kernel(), work.config(), work.args(), blocksPerSlice);
                    }
                    Event done = device.createEvent(EnumSet.of(EventFlag.DISABLE_TIMING, EventFlag.BLOCKING_SYNC));
                    lp.record(done);
                    outstanding.add(done);
                    if (outstanding.size() >= 3) {
                        Event oldest = outstanding.poll();
                        if (scheduler != null) {
                            scheduler.synchronize(oldest);
                        } else {
                            oldest.synchronize();
                        }
                        oldest.close();
                        lpDone.incrementAndGet();
                    }
                }
                lp.synchronize();
                outstanding.forEach(Event::close);
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        long warmupEnd = System.nanoTime() + Math.max(100_000_000L, (long) (4 * work.blockMs() * 1e6));
        park(warmupEnd);
        long lpStart = lpDone.get();
        long start = System.nanoTime();
        long[] waits = new long[probes];
        KernelArgs probeArgs = KernelArgs.builder().i32(0).build();
        for (int i = 0; i < probes && failures.isEmpty(); i++) {
            // Arrivals every 10 ms plus a varying offset, so probes land at every phase of the LP work.
            park(System.nanoTime() + 10_000_000L + (i * 7_919_000L) % 9_000_000L);
            long submit = System.nanoTime();
            hp.launch(hpProbe, LaunchConfig.of(1, 32), probeArgs);
            hp.synchronize();
            waits[i] = System.nanoTime() - submit;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double lpRate = (lpDone.get() - lpStart) / seconds;
        stop.set(true);
        lpThread.join();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("mechanism " + mechanism + " failed: " + failures.getFirst(), failures.getFirst());
        }
        Arrays.sort(waits);
        long yields = lp instanceof XQueue lpQueue ? lpQueue.stats().yielded() : 0;
        Row row = new Row(work.blockMs(), mechanism, waits[probes / 2] / 1e6, waits[NearestRank.index(probes, 99)] / 1e6,
                waits[probes - 1] / 1e6, lpRate, lpRate / alone, yields);
        out.printf(Locale.ROOT, "  %-12s HP p50 %.3f ms, p99 %.3f ms; LP %.1f kernels/s%s%n", mechanism, row.p50Ms(), row.p99Ms(),
                lpRate, mechanism.lpLaunch == LpLaunch.YIELDABLE ? ", " + yields + " LP launches stopped early and relaunched" : "");
        return row;
    }

    private static void park(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }
}
