package dev.xsched.examples.bench;

import dev.xsched.core.XQueueConfig;
import dev.xsched.examples.config.IdlePollMicros;
import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code xsched bench launch}: what one kernel launch costs from Java through FFM, on the chosen
 * platform's device 0.
 * <ul>
 *   <li>round trip: launch an empty kernel, then synchronize the stream; median and P99 over
 *       {@code --iterations} (20,000) after {@code --warmup} (20,000: enough launches for the JIT to
 *       compile the launch path, so steady state is measured);</li>
 *   <li>throughput: {@code --launches} (100,000) back-to-back empty-kernel launches, then one
 *       synchronize: launches per second, of the second of two such rounds (steady state);</li>
 *   <li>the same through an XQueue against a stream of the same priority
 *       ({@link LaunchBenchmarkXQueue}): round trips of an empty and a 20 us kernel, back-to-back
 *       launches of an empty and a 5 us kernel.</li>
 * </ul>
 * Prints a small table and one {@code JSON} line. {@code examples/src/main/c/launch_bench.c} does
 * exactly the same through the CUDA driver API from C, with the same output, for comparison.
 */
public final class LaunchBenchmark {
    /** The same kernel source as launch_bench.c; compiled at run time for the device. */
    static final String EMPTY_KERNEL = "extern \"C\" __global__ void empty_kernel() { }\n";

    /**
     * @param iterations measured round trips
     * @param warmup     round trips before them, unmeasured
     * @param launches   back-to-back launches of the throughput measurement
     * @param threshold  the XQueue rows' threshold (commands in flight at most)
     * @param batchSize  the XQueue rows' batch size (released commands per sync point)
     * @param idlePollMicros the XQueue rows' {@code XQueueConfig.idlePoll} in microseconds, 0 for none
     *                   (the queue's default: its completion thread sleeps when idle, and each round
     *                   trip's launch wakes it)
     * @param rounds     back-to-back rounds of the XQueue rows, each timing the stream and the XQueue
     *                   one after the other (their order alternating from round to round); a row's
     *                   ratio is the median of the rounds' ratios. One pair was at the mercy of the
     *                   host: on a freshly booted H100 the stream's own time for the same 100,000
     *                   launches ranged from 0.31 to 0.53 s between JVMs (round 54)
     * @param drainBudgetMicros the XQueue rows' {@code XQueueConfig.drainBudget} in microseconds, 0 for
     *                   none (a fixed window); else the window moves between 2 and the threshold to keep
     *                   the released work's drain time near it ({@link #DEFAULT_DRAIN_BUDGET_MICROS}, the
     *                   queue's default)
     * @param decideOnSubmit the XQueue rows' scheduler: whether a submission that turns the queue
     *                   ready runs the policy's round on the submitting thread
     *                   ({@code XScheduler.Builder.decideOnSubmit}); null: its default, from the
     *                   system property or environment variable. The result records the setting
     *                   the scheduler ran with
     */
    public record Options(int iterations, int warmup, int launches, int threshold, int batchSize, long idlePollMicros,
                          int rounds, long drainBudgetMicros, Boolean decideOnSubmit) {
        /** Ten seconds, {@code XQueueConfig.MAX_DRAIN_BUDGET}. */
        private static final long MAX_DRAIN_BUDGET_MICROS = XQueueConfig.MAX_DRAIN_BUDGET.toNanos() / 1000;
        public static final int DEFAULT_ITERATIONS = 20_000;
        public static final int DEFAULT_WARMUP = 20_000;
        public static final int DEFAULT_LAUNCHES = 100_000;
        public static final int DEFAULT_ROUNDS = 5;
        /** {@code XQueueConfig.DEFAULT_DRAIN_BUDGET} in microseconds. */
        public static final long DEFAULT_DRAIN_BUDGET_MICROS = XQueueConfig.DEFAULT_DRAIN_BUDGET.toNanos() / 1000;

        public Options {
            if (iterations < 1) {
                throw new IllegalArgumentException("--iterations must be >= 1, got " + iterations);
            }
            if (warmup < 0) {
                throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
            }
            if (launches < 1) {
                throw new IllegalArgumentException("--launches must be >= 1, got " + launches);
            }
            if (threshold < 1) {
                throw new IllegalArgumentException("--threshold must be >= 1, got " + threshold);
            }
            if (batchSize < 1 || batchSize > threshold) {
                throw new IllegalArgumentException("--batch-size must be from 1 to --threshold (" + threshold + "), got " + batchSize);
            }
            IdlePollMicros.toDuration("--idle-poll-us", idlePollMicros);
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
            }
            if (drainBudgetMicros < 0 || drainBudgetMicros > MAX_DRAIN_BUDGET_MICROS) {
                throw new IllegalArgumentException("--drain-budget-us must be from 0 to " + MAX_DRAIN_BUDGET_MICROS + ", got "
                        + drainBudgetMicros);
            }
        }

        /** The scheduler's decisions where its system property or environment variable puts them. */
        public Options(int iterations, int warmup, int launches, int threshold, int batchSize, long idlePollMicros, int rounds,
                       long drainBudgetMicros) {
            this(iterations, warmup, launches, threshold, batchSize, idlePollMicros, rounds, drainBudgetMicros, null);
        }

        /** A fixed window (no drain budget). */
        public Options(int iterations, int warmup, int launches, int threshold, int batchSize, long idlePollMicros, int rounds) {
            this(iterations, warmup, launches, threshold, batchSize, idlePollMicros, rounds, 0);
        }

        /** {@value #DEFAULT_ROUNDS} back-to-back rounds. */
        public Options(int iterations, int warmup, int launches, int threshold, int batchSize, long idlePollMicros) {
            this(iterations, warmup, launches, threshold, batchSize, idlePollMicros, DEFAULT_ROUNDS);
        }

        /** The XQueue rows with threshold and batch size given, and no idle poll. */
        public Options(int iterations, int warmup, int launches, int threshold, int batchSize) {
            this(iterations, warmup, launches, threshold, batchSize, 0);
        }

        /**
         * The XQueue rows at the queue's defaults ({@link XQueueConfig#DEFAULT_THRESHOLD}/{@link
         * XQueueConfig#DEFAULT_BATCH_SIZE} with {@link XQueueConfig#DEFAULT_DRAIN_BUDGET}).
         */
        public Options(int iterations, int warmup, int launches) {
            this(iterations, warmup, launches, XQueueConfig.DEFAULT_THRESHOLD, XQueueConfig.DEFAULT_BATCH_SIZE, 0, DEFAULT_ROUNDS,
                    DEFAULT_DRAIN_BUDGET_MICROS);
        }

        /** The XQueue rows' queue configuration. */
        XQueueConfig xqueueConfig() {
            return new XQueueConfig("bench-launch", threshold, batchSize)
                    .withIdlePoll(IdlePollMicros.toDuration("--idle-poll-us", idlePollMicros))
                    .withDrainBudget(Duration.ofNanos(drainBudgetMicros * 1000));
        }
    }

    /** Results of one run. */
    record Result(String platform, String device, String architecture, Options options, LatencyStats roundTrip,
                  double throughputSeconds, LaunchBenchmarkXQueue.Result xqueue, ClockReadCost clock) {
        double launchesPerSecond() {
            return options.launches() / throughputSeconds;
        }

        /** The JSON line, field for field as launch_bench.c prints it. */
        String json() {
            return Json.line(new JsonLine("java", platform, device, architecture, options.iterations(), options.warmup(),
                    JsonLine.RoundTrip.of(roundTrip),
                    new JsonLine.Throughput(options.launches(), throughputSeconds, Math.round(launchesPerSecond())),
                    xqueue.json(), new JsonLine.Clock(Json.figure(clock.nanosPerRead()), clock.source())));
        }
    }

    /**
     * The JSON line of a run (the C program's fields, so scripts read both alike; then the XQueue
     * rows and the cost of a clock read).
     */
    record JsonLine(String impl, String platform, String device, String arch, int iterations, int warmup,
                    RoundTrip roundtripUs, Throughput throughput, LaunchBenchmarkXQueue.XQueueJson xqueue, Clock clock) {
        /** Round trip in microseconds. */
        record RoundTrip(Double median, Double p99, Double mean, Double min, Double max) {
            static RoundTrip of(LatencyStats rt) {
                return new RoundTrip(Json.figure(rt.medianMicros()), Json.figure(rt.p99Micros()), Json.figure(rt.meanMicros()),
                        Json.figure(rt.minMicros()), Json.figure(rt.maxMicros()));
            }
        }

        record Throughput(int launches, double seconds, long launchesPerS) {
        }

        /** One {@code System.nanoTime()}: nanoseconds and the kernel's clock source. */
        record Clock(Double readNs, String source) {
        }
    }

    private LaunchBenchmark() {
    }

    /** Measures on the chosen platform's device 0 and prints the table and the JSON line. */
    public static void run(Options options, PrintStream out) {
        HipPlatform platform = Hip.platformOrSimulator();
        if (platform.deviceCount() == 0) {
            throw new IllegalStateException("platform " + platform.name() + " has no device: "
                    + platform.noDeviceReason().orElse("no reason given") + " (xsched info says more)");
        }
        Result result = measure(platform.device(0), options);
        print(result, out);
    }

    static Result measure(Device gpu, Options options) {
        CodeObject code = gpu.compiler().compile("empty_kernel.cu", EMPTY_KERNEL);
        try (HipModule module = gpu.loadModule(code); Stream stream = gpu.createStream()) {
            Kernel empty = module.function("empty_kernel");
            LaunchConfig config = LaunchConfig.of(1, 1);
            KernelArgs none = KernelArgs.none();

            for (int i = 0; i < options.warmup(); i++) {
                stream.launch(empty, config, none);
                stream.synchronize();
            }
            long[] nanos = new long[options.iterations()];
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                stream.launch(empty, config, none);
                stream.synchronize();
                nanos[i] = System.nanoTime() - start;
            }

            // The second of two rounds: in the first the loop runs interpreted until the JIT
            // compiles it (on the stack), which is Java's start-up, not its launch cost; the
            // C program measures its second round too.
            throughputSeconds(stream, empty, config, none, options.launches());
            double seconds = throughputSeconds(stream, empty, config, none, options.launches());
            LaunchBenchmarkXQueue.Result xqueue = LaunchBenchmarkXQueue.measure(gpu, empty, options);
            return new Result(gpu.platform().name(), gpu.name(), gpu.architecture(), options, LatencyStats.of(nanos), seconds,
                    xqueue, ClockReadCost.measure());
        }
    }

    /** Seconds for {@code launches} back-to-back launches and one synchronize. */
    private static double throughputSeconds(Stream stream, Kernel kernel, LaunchConfig config, KernelArgs args, int launches) {
        long start = System.nanoTime();
        for (int i = 0; i < launches; i++) {
            stream.launch(kernel, config, args);
        }
        stream.synchronize();
        return (System.nanoTime() - start) / 1e9;
    }

    static void print(Result r, PrintStream out) {
        out.printf(Locale.ROOT, "launch benchmark: java, platform %s, %s (%s)%n", r.platform(), r.device(), r.architecture());
        out.printf(Locale.ROOT, "  %-44s %10s %10s %10s %10s%n", "", "median", "p99", "mean", "min");
        out.printf(Locale.ROOT, "  %-44s %7.2f us %7.2f us %7.2f us %7.2f us%n",
                "round trip (launch + sync), " + r.options().iterations() + " iterations",
                r.roundTrip().medianMicros(), r.roundTrip().p99Micros(), r.roundTrip().meanMicros(), r.roundTrip().minMicros());
        out.printf(Locale.ROOT, "  %-44s %.0f launches/s (%d launches in %.3f s)%n",
                "throughput (back-to-back, one sync)", r.launchesPerSecond(), r.options().launches(), r.throughputSeconds());
        LaunchBenchmarkXQueue.print(r.xqueue(), r.options().iterations(), out);
        // A clock read is on the XQueue's path where the time is used (a queue becoming ready, a
        // waiter's spin): where a read is a system call, that shows in the rows above.
        out.printf(Locale.ROOT, "  %-44s %.1f ns (clock source %s)%n", "one System.nanoTime()", r.clock().nanosPerRead(),
                r.clock().source());
        out.println("JSON " + r.json());
    }
}
