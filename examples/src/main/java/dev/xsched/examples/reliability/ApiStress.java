package dev.xsched.examples.reliability;

import dev.xsched.core.XQueueStats;
import dev.xsched.core.XScheduler;
import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.core.policy.Policies;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipException;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A concurrency stress of the public API on the simulated GPU (in real time, so the scheduler's
 * threads really race the workers): threads create XQueues, launch, copy, record an event on one
 * queue and wait for it on another, synchronize queues, events and the device, close queues
 * (draining or dropping), give hints and switch policies, at random, all at once. Now and then
 * a thread makes a queue fail for good, with a launch of a kernel whose launches fail
 * ({@link SimulatedPlatform#faulting}): the queue's failure must reach exactly the calls its
 * documentation names, and no other queue.
 *
 * <p>The cross-process stop is in the mix too: threads arm queues with words of the run's
 * {@link StopWordFile} ({@code XQueue.armRemoteStop}), advance an armed queue's word as another
 * process would ({@link dev.xsched.core.coordination.StopWordRaiser}), which holds the queue's
 * releases until the scheduler's next decision about it, disarm and rearm queues, and make the
 * calls that wait for the whole device (a device or pinned buffer allocated and closed, host
 * memory registered and unregistered, a module loaded and unloaded), around which armed queues
 * pause their waits. Once the workers stopped, every queue still open is synchronized alone: a
 * queue a store holds must get its decision even when nothing else happens.
 *
 * <p>It fails on a hang (an operation stalled past the watchdog's limit: the report carries a
 * dump of every thread with its locks), on any exception other than a documented refusal
 * ({@link StressRefusals}: a queue closed meanwhile, or the failure of a queue failed on purpose,
 * met where it is documented), on anything the library logs at WARNING or above, on a copy that
 * reads back wrong bytes, and, once everything is closed, on a kernel launch that was accepted but
 * never ran (unless its queue counts as many drops, by a close with DROP or by its failure), ran
 * twice or ran without being accepted, on a callback that ran without being accepted, and on a
 * scheduler or completion thread left alive.
 *
 * <p>The operations are drawn from generators seeded from {@link Options#seed()}; the threads'
 * interleaving is not reproducible, the mix of operations is.
 */
public final class ApiStress {
    static final String KERNELS = """
            extern "C" __global__ void tagged(int queue, int tag) { }
            extern "C" __global__ void sliced(int xsched_offset) { }
            extern "C" __global__ void faulty(int queue) { }
            """;
    /** The module that {@link StressOp#DEVICE_WIDE_CALL} loads and unloads. */
    static final String EXTRA_KERNELS = """
            extern "C" __global__ void extra(int n) { }
            """;
    /** The kernel launched through a faulting handle, to make a queue fail. */
    static final String FAULTY = "faulty";

    /**
     * @param threads     worker threads
     * @param operations  operations in all, or 0 to run for {@code duration}
     * @param duration    how long to run when {@code operations} is 0
     * @param seed        the seed of every worker's generator
     * @param stallLimit  an operation taking longer is a hang
     * @param maxQueues   queues open at once, at most
     * @param decideOnSubmit whether submitting threads run decision rounds ({@code XScheduler.Builder#decideOnSubmit})
     */
    public record Options(int threads, long operations, Duration duration, long seed, Duration stallLimit, int maxQueues,
                          boolean decideOnSubmit) {
        public Options {
            if (threads < 1 || operations < 0 || maxQueues < 1) {
                throw new IllegalArgumentException("threads and maxQueues must be >= 1 and operations >= 0");
            }
            if (operations == 0 && (duration == null || duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("give a number of operations or a positive duration");
            }
        }

        /** A run bounded by its number of operations, as in CI. */
        public static Options operations(int threads, long operations, long seed) {
            return new Options(threads, operations, null, seed, Duration.ofSeconds(30), 24, false);
        }

        /** The same run with submitting threads deciding ({@code XScheduler.Builder#decideOnSubmit}) or not. */
        public Options withDecideOnSubmit(boolean decide) {
            return new Options(threads, operations, duration, seed, stallLimit, maxQueues, decide);
        }

        /** A run bounded by time, for the long form. */
        public static Options timed(int threads, Duration duration, long seed) {
            return new Options(threads, 0, duration, seed, Duration.ofSeconds(30), 24, false);
        }
    }

    /** The outcome of a run. */
    public record Report(Options options, Duration elapsed, Map<StressOp, Long> done, Map<String, Long> refused,
                         int queuesCreated, int queuesFailed, CommandLedger.Balance launches, long callbacksAccepted, long callbacksRun,
                         long heldAfterWorkers, List<String> problems, Optional<Watchdog.Hang> hang) {
        private static final int PRINTED_PROBLEMS = 40;

        public boolean passed() {
            return problems.isEmpty() && hang.isEmpty();
        }

        public long operations() {
            return done.values().stream().mapToLong(Long::longValue).sum() + refused.values().stream().mapToLong(Long::longValue).sum();
        }

        public String summary() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(java.util.Locale.ROOT,
                    "stress: seed %d, %d threads%s, %d operations in %.1f s, %d queues created, %d failed on purpose%n",
                    options.seed(), options.threads(), options.decideOnSubmit() ? " deciding on submit" : "", operations(),
                    elapsed.toMillis() / 1000.0, queuesCreated, queuesFailed));
            out.append("  done: ").append(done).append('\n');
            out.append("  refused as documented: ").append(refused).append('\n');
            out.append("  tagged launches: ").append(launches).append('\n');
            out.append("  callbacks: ").append(callbacksAccepted).append(" accepted, ").append(callbacksRun).append(" ran\n");
            out.append("  queues held by a remote stop when the workers stopped: ").append(heldAfterWorkers).append('\n');
            problems.stream().limit(PRINTED_PROBLEMS).forEach(p -> out.append("  PROBLEM: ").append(p).append('\n'));
            if (problems.size() > PRINTED_PROBLEMS) {
                out.append("  ... and ").append(problems.size() - PRINTED_PROBLEMS).append(" more problems\n");
            }
            hang.ifPresent(h -> out.append(String.format(java.util.Locale.ROOT, "  the hang began %.1f s into the run%n",
                    (elapsed.toMillis() - h.stalledFor().toMillis()) / 1000.0)).append(h).append('\n'));
            out.append(passed() ? "  PASSED" : "  FAILED (seed " + options.seed() + ")").append('\n');
            return out.toString();
        }
    }

    private ApiStress() {
    }

    /** Runs the stress; {@code progress} (may be null) gets a line every ten seconds. */
    public static Report run(Options options, PrintStream progress) throws InterruptedException {
        CommandLedger ledger = new CommandLedger();
        SimulatedPlatform sim = SimulatedPlatform.builder().realTime().computeUnits(4)
                .defaultBlockDuration(Duration.ofNanos(20_000))
                .kernelBody("tagged", (config, args, memory) -> ledger.ran((int) args.bits(0), (int) args.bits(1)))
                .build();
        List<String> policies = Policies.names();
        SplittableRandom seeds = new SplittableRandom(options.seed());
        XScheduler scheduler = XScheduler.builder().name("stress-" + options.seed()).jmx(false).clock(sim.clock()::nanoTime)
                .policy(policies.get(seeds.nextInt(policies.size()))).decideOnSubmit(options.decideOnSubmit()).build();
        Device gpu = sim.device(0);
        HipModule module = gpu.loadModule(gpu.compiler().compile("stress.hip", KERNELS));
        Kernel tagged = module.function("tagged", ParamType.INT, ParamType.INT);
        Kernel sliced = module.function("sliced", ParamType.INT);
        Kernel faulty = SimulatedPlatform.faulting(module.function(FAULTY, ParamType.INT));
        Path stopFolder = stopWordFolder();
        StopWordFile stopWords = StopWordFile.create(stopFolder.resolve("stop"));
        StressWorld world = new StressWorld(scheduler, gpu, tagged, sliced, faulty, policies, options.maxQueues(), ledger,
                stopWords, gpu.compiler().compile("extra.hip", EXTRA_KERNELS));
        Watchdog watchdog = new Watchdog(options.stallLimit());
        BooleanSupplier budget = budget(options);
        List<StressWorker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        Optional<Watchdog.Hang> hang;
        List<String> problems = new ArrayList<>();
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < options.threads(); i++) {
                String name = "stress-worker-" + i;
                StressWorker worker = new StressWorker(name, world, seeds.nextLong(), watchdog.probe(name), budget);
                workers.add(worker);
                threads.add(Thread.ofPlatform().daemon().name(name).unstarted(worker));
            }
            threads.forEach(Thread::start);
            hang = awaitWorkers(threads, watchdog, world, progress, start);
            if (hang.isEmpty()) {
                hang = synchronizeEveryQueue(world, watchdog, problems);
            }
            if (hang.isEmpty()) {
                hang = closeEverything(world, watchdog, scheduler);
            }
            problems.addAll(log.records());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Map<StressOp, Long> done = new EnumMap<>(StressOp.class);
        Map<String, Long> refused = new TreeMap<>();
        for (StressWorker worker : workers) {
            worker.done.forEach((op, n) -> done.merge(op, n, Long::sum));
            worker.refused.forEach((what, n) -> refused.merge(what, n, Long::sum));
            problems.addAll(worker.problems);
        }
        CommandLedger.Balance launches = ledger.balance();
        if (hang.isEmpty()) {
            problems.addAll(finalChecks(world, launches, scheduler.name()));
            workers.forEach(StressWorker::release);
            module.close();
            world.otherProcess.close();
            stopWords.close(); // every queue that held one of its words is closed
            deleteQuietly(stopFolder);
            sim.close();
        }
        return new Report(options, elapsed, done, refused, world.queueNumbers.get(), world.failed.size(), launches,
                world.callbacksAccepted.sum(), world.callbacksRun.sum(), world.heldAfterWorkers.sum(), problems, hang);
    }

    /** A folder of its own for the run's stop-word file (the default path is one per process). */
    private static Path stopWordFolder() {
        try {
            return Files.createTempDirectory("xsched-stress-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path folder) {
        try {
            Files.deleteIfExists(folder);
        } catch (IOException ignored) {
            // an empty folder left in the temporary directory
        }
    }

    /**
     * Once the workers stopped, and with nothing else going on, synchronizes every queue still
     * open, under the watchdog: a queue that another process's store holds (the stress's
     * {@link StressOp#STORE_INTO_WORD}) must get the fresh decision it waits for from the
     * scheduler even when no other queue gives it a reason for a round. The failure of a queue
     * failed on purpose is expected; anything else is a problem.
     */
    private static Optional<Watchdog.Hang> synchronizeEveryQueue(StressWorld world, Watchdog watchdog, List<String> problems)
            throws InterruptedException {
        Watchdog.Probe probe = watchdog.probe("quiet synchronizer");
        List<String> found = new ArrayList<>();
        Thread synchronizer = Thread.ofPlatform().daemon().name("stress-quiet-synchronizer").start(() -> {
            for (StressWorld.Slot slot : world.open) {
                String name = slot.queue().name();
                boolean held = slot.queue().isHeldByRemoteStop();
                if (held) {
                    world.heldAfterWorkers.increment();
                }
                probe.begin("synchronizing " + name + " alone after the workers stopped (held by a remote stop: " + held + ")");
                try {
                    slot.queue().synchronize();
                } catch (RuntimeException e) {
                    String failed = StressRefusals.failedQueue(e);
                    if (failed != null && failed.equals(name) && world.faulted.contains(failed)) {
                        world.failureSeen(failed);
                    } else {
                        found.add("synchronizing " + name + " after the workers stopped threw " + StressRefusals.describe(e));
                    }
                } finally {
                    probe.end();
                }
            }
        });
        Optional<Watchdog.Hang> hang = watchdog.join(List.of(synchronizer));
        if (hang.isEmpty()) {
            problems.addAll(found);
        }
        return hang;
    }

    private static BooleanSupplier budget(Options options) {
        if (options.operations() > 0) {
            AtomicLong left = new AtomicLong(options.operations());
            return () -> left.getAndDecrement() > 0;
        }
        long end = System.nanoTime() + options.duration().toNanos();
        return () -> System.nanoTime() < end;
    }

    private static Optional<Watchdog.Hang> awaitWorkers(List<Thread> threads, Watchdog watchdog, StressWorld world,
                                                        PrintStream progress, long start) throws InterruptedException {
        long nextReport = start + Duration.ofSeconds(10).toNanos();
        for (Thread thread : threads) {
            while (!thread.join(Duration.ofMillis(100))) {
                Optional<Watchdog.Hang> hang = watchdog.check();
                if (hang.isPresent()) {
                    if (progress != null) {
                        // What the queues looked like when the hang was seen, beside the thread dump.
                        for (StressWorld.Slot slot : world.open) {
                            progress.println("  open at the hang: " + slot.queue().config() + " " + slot.queue().stats());
                        }
                    }
                    return hang;
                }
                if (progress != null && System.nanoTime() > nextReport) {
                    nextReport += Duration.ofSeconds(10).toNanos();
                    progress.printf(java.util.Locale.ROOT, "  %4d s: %d queues created, %d open, %d tagged launches%n",
                            (System.nanoTime() - start) / 1_000_000_000L, world.queueNumbers.get(), world.open.size(),
                            world.ledger.balance().accepted());
                }
            }
        }
        return watchdog.check();
    }

    /**
     * Closes every queue still open, then the scheduler, under the watchdog too. A close reports
     * its queue's failure if no caller was told of it yet: that is expected of a queue failed on
     * purpose, and of no other.
     */
    private static Optional<Watchdog.Hang> closeEverything(StressWorld world, Watchdog watchdog, XScheduler scheduler)
            throws InterruptedException {
        Watchdog.Probe probe = watchdog.probe("closer");
        List<RuntimeException> thrown = new ArrayList<>();
        Thread closer = Thread.ofPlatform().daemon().name("stress-closer").start(() -> {
            probe.begin("closing every queue, then the scheduler");
            try {
                for (StressWorld.Slot slot : world.open) {
                    String name = slot.queue().name();
                    closeReportingFailures(slot.queue()::close, world, n -> n.equals(name), thrown);
                }
                closeReportingFailures(scheduler::close, world, n -> true, thrown);
            } finally {
                probe.end();
            }
        });
        Optional<Watchdog.Hang> hang = watchdog.join(List.of(closer));
        if (hang.isEmpty() && !thrown.isEmpty()) {
            throw new IllegalStateException("closing the queues and the scheduler after the stress threw", thrown.getFirst());
        }
        return hang;
    }

    /** Runs {@code close}; the injected failure of a faulted queue that {@code among} accepts is noted, anything else kept. */
    private static void closeReportingFailures(Runnable close, StressWorld world, Predicate<String> among,
                                               List<RuntimeException> thrown) {
        try {
            close.run();
        } catch (RuntimeException e) {
            String failed = StressRefusals.failedQueue(e);
            if (failed != null && e instanceof HipException && world.faulted.contains(failed) && among.test(failed)) {
                world.failureSeen(failed);
            } else {
                thrown.add(e);
            }
        }
    }

    private static List<String> finalChecks(StressWorld world, CommandLedger.Balance launches, String schedulerName) {
        List<String> problems = new ArrayList<>();
        if (launches.ranTwice() > 0 || launches.ranUnaccepted() > 0) {
            problems.add("launches ran twice (" + launches.ranTwice() + ") or without being accepted ("
                    + launches.ranUnaccepted() + "); examples " + launches.examples());
        }
        for (StressWorld.Slot slot : world.created) {
            XQueueStats stats = slot.queue().stats();
            long missing = world.ledger.missing(slot.number());
            if (missing > stats.dropped()) {
                problems.add(slot.queue().name() + ": " + missing + " accepted launches never ran, but only "
                        + stats.dropped() + " commands count as dropped; " + stats);
            }
            String name = slot.queue().name();
            long lostBeforeFault = world.ledger.lostBeforeFault(slot.number());
            if (lostBeforeFault > 0 && !world.closedWithDrop.contains(name)) {
                problems.add(name + ": " + lostBeforeFault + " launches accepted before its faulting launch never ran "
                        + "(only what follows a failed launch may be dropped); " + stats);
            }
            // A failed queue records no sync point for what it released but had not covered yet
            // (Completions: its waits get the failure anyway), so that work is never known
            // complete and stays "in flight" in its statistics; the ledger shows that it ran.
            boolean failed = world.failed.contains(name);
            if (stats.buffered() != 0 || (stats.inFlight() != 0 && !failed)) {
                problems.add(slot.queue().name() + " still holds commands after close: " + stats);
            }
        }
        if (world.callbacksRun.sum() > world.callbacksAccepted.sum()) {
            problems.add("more callbacks ran (" + world.callbacksRun.sum() + ") than were accepted ("
                    + world.callbacksAccepted.sum() + ")");
        }
        Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(schedulerName + "-"))
                .forEach(t -> problems.add("thread " + t.getName() + " is still alive after the scheduler closed"));
        return problems;
    }
}
