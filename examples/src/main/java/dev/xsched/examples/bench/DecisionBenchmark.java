package dev.xsched.examples.bench;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.YieldableKernels;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * {@code xsched bench decision}: the decision latency in one process at the pace of the seed
 * scenario's online requests. A batch queue (priority -10) keeps yieldable kernels in flight on
 * the simulated GPU; every {@code --interval-ms} a high-priority queue receives one kernel, and
 * the benchmark times, on the submitting thread, the submission itself and the time until the
 * batch queue reads as suspended, then waits for the request and for the batch queue's resume.
 * The queue reads as suspended before its stop flag is written (by the deciding thread, just
 * after): so without {@code --decide-on-submit} the time leaves the flag's write out, and with it
 * the submission's own time includes it (the launch returns after the round). The request's
 * kernel runs 2 ms (the scenario's run about 1.5 ms): a request that ends before the policy heard
 * of it is never preempted for (its ready and idle reach the policy together); such requests are
 * counted, not timed.
 *
 * <p>Why at a pace rather than back to back: between requests the scheduling thread sleeps and the
 * decision's code runs a few dozen times a second, so it is not compiled for a long while; a
 * back-to-back loop measures neither. On the H200's host (round 22, docs/results.md) the suspend
 * came 0.30 ms after the online submission, 0.11 ms of it the scheduling thread's wake-up. Run it
 * once per setting, each in a fresh JVM ({@code --decide-on-submit} or not): the JIT's state of
 * one run would carry into the next.
 */
public final class DecisionBenchmark {
    /**
     * @param rounds         measured requests
     * @param warmup         unmeasured requests first
     * @param interval       time between request starts
     * @param decideOnSubmit whether the submitting thread decides ({@code XScheduler.Builder#decideOnSubmit})
     * @param output         where results.json goes, or null
     */
    public record Options(int rounds, int warmup, Duration interval, boolean decideOnSubmit, Path output) {
        public static final int DEFAULT_ROUNDS = 600;
        public static final int DEFAULT_WARMUP = 60;
        public static final int DEFAULT_INTERVAL_MS = 50;

        public Options {
            if (rounds < 1 || warmup < 0 || interval.isNegative()) {
                throw new IllegalArgumentException("--rounds must be >= 1, --warmup and --interval-ms >= 0, got " + rounds
                        + ", " + warmup + ", " + interval.toMillis());
            }
        }
    }

    /**
     * Submission and suspend latencies in microseconds.
     *
     * @param missed requests that ended before the batch queue was suspended (not in {@code suspend})
     */
    public record Result(LatencyStats submit, LatencyStats suspend, int missed) {
    }

    record JsonLine(String benchmark, String date, int rounds, double intervalMs, boolean decideOnSubmit, String unit,
                    IpcBenchmark.Figures submit, IpcBenchmark.Figures suspend, int missed) {
    }

    static final String SOURCE = YieldableKernels.PRELUDE + """
            extern "C" __global__ void batch(XSCHED_YIELD_PARAMS) {
                xsched_yield_t y = XSCHED_YIELD_CONTEXT;
                if (xsched_block_begin(y) < 0) return;
                xsched_block_end(y);
            }
            extern "C" __global__ void request(int unused) { }
            """;
    /** A batch launch: 4,096 blocks of 100 us on 4 compute units, about 0.1 s; the queue's default threshold keeps several in flight. */
    private static final LaunchConfig BATCH_GRID = LaunchConfig.of(4096, 64);
    /** How long a request's kernel runs. */
    private static final Duration REQUEST = Duration.ofMillis(2);
    /** How long one wait in the benchmark may take before it fails. */
    private static final long WAIT_LIMIT_NANOS = Duration.ofSeconds(10).toNanos();

    private DecisionBenchmark() {
    }

    public static Result run(Options options, PrintStream out) throws IOException {
        out.printf(Locale.ROOT, "xsched bench decision: %d requests after %d warm-up, one every %.1f ms; the submitting thread "
                        + "decides: %s%n", options.rounds(), options.warmup(), options.interval().toNanos() / 1e6,
                options.decideOnSubmit() ? "yes" : "no (the scheduling thread does)");
        out.println("simulated GPU: this measures the host's path from a submission to the batch queue suspended, not GPU work");
        SimulatedPlatform sim = SimulatedPlatform.builder().realTime().computeUnits(4).build();
        AtomicBoolean stop = new AtomicBoolean();
        long[] submit = new long[options.rounds()];
        long[] suspend = new long[options.rounds()];
        int timed = 0;
        int missed = 0;
        try (XScheduler scheduler = XScheduler.builder().name("bench-decision").policy("hpf").jmx(false)
                .decideOnSubmit(options.decideOnSubmit()).build();
             HipModule module = sim.device(0).loadModule(sim.device(0).compiler().compile("decision.hip", SOURCE))) {
            Device gpu = sim.device(0);
            Kernel batch = SimulatedPlatform.withBlockDuration(module.function("batch", ParamType.POINTER, ParamType.POINTER,
                    ParamType.POINTER), Duration.ofNanos(100_000));
            Kernel request = SimulatedPlatform.withBlockDuration(module.function("request", ParamType.INT), REQUEST);
            XQueue lp = scheduler.createQueue(gpu, XQueueConfig.defaults("batch")).hint(new Hint.Priority(-10));
            XQueue hp = scheduler.createQueue(gpu, XQueueConfig.defaults("online")).hint(new Hint.Priority(10));
            AtomicReference<Throwable> batchFailure = new AtomicReference<>();
            Thread batchThread = Thread.ofPlatform().name("bench-decision-batch").start(() -> {
                try {
                    while (!stop.get()) {
                        lp.launchYieldable(batch, BATCH_GRID, KernelArgs.builder().build());
                        lp.synchronize();
                    }
                } catch (Throwable t) {
                    batchFailure.set(t); // the rounds stop at the next one: without a batch job they measure nothing
                }
            });
            try {
                awaitState(lp, false, "the batch queue to run");
                KernelArgs args = KernelArgs.builder().i32(0).build();
                long next = System.nanoTime();
                for (int round = -options.warmup(); round < options.rounds(); round++) {
                    throwIfFailed(batchFailure);
                    next += options.interval().toNanos();
                    awaitState(lp, false, "the batch queue to run again");
                    long start = System.nanoTime();
                    hp.launch(request, LaunchConfig.of(1, 1), args);
                    long submitted = System.nanoTime();
                    long suspended = awaitSuspendWhileBusy(lp, hp);
                    hp.synchronize();
                    if (round >= 0) {
                        submit[round] = submitted - start;
                        if (suspended >= 0) {
                            suspend[timed++] = suspended - start;
                        } else {
                            missed++;
                        }
                    }
                    LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                }
            } finally {
                stop.set(true);
                batchThread.join();
            }
            throwIfFailed(batchFailure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            sim.close();
        }
        if (timed == 0) {
            throw new IOException("no request was preempted for in " + options.rounds() + " rounds: every request ended "
                    + "before the policy heard of it (is the host overloaded?)");
        }
        Result result = new Result(LatencyStats.of(submit), LatencyStats.of(Arrays.copyOf(suspend, timed)), missed);
        print(result, options, out);
        return result;
    }

    private static void throwIfFailed(AtomicReference<Throwable> batchFailure) throws IOException {
        Throwable t = batchFailure.get();
        if (t != null) {
            throw new IOException("the batch job failed, so the figures would mean nothing: " + t, t);
        }
    }

    /**
     * Spins until the batch queue is suspended (returns the time it was seen) or the request's
     * queue holds nothing any more (returns -1: the request ended first).
     */
    private static long awaitSuspendWhileBusy(XQueue batch, XQueue request) {
        spinUntil(() -> batch.stats().suspended() || idle(request), "the batch queue's suspend", batch);
        long seen = System.nanoTime();
        return batch.stats().suspended() ? seen : -1;
    }

    private static boolean idle(XQueue queue) {
        var stats = queue.stats();
        return stats.completed() == stats.submitted();
    }

    /** Spins until the queue's suspended state is {@code suspended}. */
    private static void awaitState(XQueue queue, boolean suspended, String what) {
        spinUntil(() -> queue.stats().suspended() == suspended, what, queue);
    }

    /** Spins until {@code done}; after 10 s throws, naming {@code what} and the queue's state. */
    private static void spinUntil(BooleanSupplier done, String what, XQueue queue) {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - start > WAIT_LIMIT_NANOS) {
                throw new IllegalStateException("waited 10 s for " + what + "; queue: " + queue.stats());
            }
            Thread.onSpinWait();
        }
    }

    private static void print(Result r, Options options, PrintStream out) throws IOException {
        out.printf(Locale.ROOT, "%-44s %10s %10s %10s %10s%n", "", "P50 us", "P99 us", "max us", "mean us");
        row(out, "online submission (its launch call)", r.submit());
        row(out, "online submission -> batch queue suspended", r.suspend());
        if (r.missed() > 0) {
            out.println(r.missed() + " requests ended before the batch queue was suspended (not timed)");
        }
        JsonLine json = new JsonLine("decision", Instant.now().toString(), options.rounds(), options.interval().toNanos() / 1e6,
                options.decideOnSubmit(), "us", IpcBenchmark.Figures.of(r.submit()), IpcBenchmark.Figures.of(r.suspend()),
                r.missed());
        out.println("JSON " + Json.line(json));
        if (options.output() != null) {
            out.println("wrote " + Json.write(options.output().resolve("results.json"), json));
        }
    }

    private static void row(PrintStream out, String label, LatencyStats s) {
        out.printf(Locale.ROOT, "%-44s %10.1f %10.1f %10.1f %10.1f%n", label, s.medianMicros(), s.p99Micros(), s.maxMicros(),
                s.meanMicros());
    }
}
