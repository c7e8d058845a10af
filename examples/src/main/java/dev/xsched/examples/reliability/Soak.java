package dev.xsched.examples.reliability;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Many queues, many commands: every command is a launch of a kernel that adds one to its queue's
 * counter in device memory, so at the end the counters must equal what each queue accepted (a
 * command lost or run twice shows). Submitter threads each own a share of the queues and launch
 * {@code window} commands to each in turn, then synchronize them, so the work held host-side stays
 * bounded. Memory (RSS, heap in use, NMT committed in all and outside the heap) is sampled as the
 * commands go; after warm-up (the first fifth) it must stay flat.
 *
 * <p>On the simulator the kernel has a Java body doing the same addition; on a GPU it is compiled
 * by the platform's run-time compiler.
 */
public final class Soak {
    static final String COUNT_KERNEL = """
            extern "C" __global__ void count_command(unsigned long long* counts, int queue) {
                if (threadIdx.x == 0 && blockIdx.x == 0) {
                    atomicAdd(&counts[queue], 1ULL);
                }
            }
            """;
    /** Native growth outside the heap after warm-up that still counts as flat. */
    static final long FLAT_SLACK_KB = 16 * 1024;

    /**
     * @param queues   XQueues, all open for the whole run
     * @param commands launches in all
     * @param threads  submitter threads, each owning queues / threads of the queues
     * @param window   commands per queue between two synchronizations
     * @param samples  memory samples over the run
     */
    public record Options(int queues, long commands, int threads, int window, int samples, String policy) {
        public Options {
            if (queues < 1 || commands < queues || threads < 1 || threads > queues || window < 1 || samples < 2) {
                throw new IllegalArgumentException("need queues >= 1, commands >= queues, 1 <= threads <= queues, "
                        + "window >= 1, samples >= 2");
            }
        }
    }

    /** What the run found. */
    public record Report(Options options, String platform, Duration elapsed, long accepted, List<String> miscounted,
                         List<MemorySampler.Sample> samples, boolean nativeMemoryTracking, List<String> nmtChanges,
                         Optional<Watchdog.Hang> hang) {
        /** The sample at the end of warm-up (a fifth of the commands). */
        public MemorySampler.Sample afterWarmUp() {
            return samples.stream().filter(s -> s.commands() >= options.commands() / 5).findFirst().orElse(samples.getLast());
        }

        /** Growth after warm-up of NMT committed outside the heap, or of RSS when NMT is off, in KiB. */
        public long growthKb() {
            MemorySampler.Sample base = afterWarmUp();
            long max = samples.stream().filter(s -> s.commands() >= base.commands())
                    .mapToLong(s -> nativeMemoryTracking ? s.nmtOutsideHeapKb() : s.rssKb()).max().orElse(0);
            return max - (nativeMemoryTracking ? base.nmtOutsideHeapKb() : base.rssKb());
        }

        public boolean flat() {
            return growthKb() <= FLAT_SLACK_KB;
        }

        public boolean passed() {
            return hang.isEmpty() && miscounted.isEmpty() && accepted == options.commands();
        }

        public String summary() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "soak: %s, %d queues, %d commands (%d threads, window %d, policy %s) in %.1f s"
                            + " = %.0f commands/s%n", platform, options.queues(), accepted, options.threads(), options.window(),
                    options.policy(), elapsed.toMillis() / 1000.0, accepted / Math.max(1e-9, elapsed.toNanos() / 1e9)));
            out.append(String.format(Locale.ROOT, "  %12s %12s %12s %16s %16s%n", "commands", "RSS MiB", "heap MiB",
                    "NMT commit MiB", "NMT non-heap MiB"));
            for (MemorySampler.Sample s : samples) {
                out.append(String.format(Locale.ROOT, "  %12d %12.1f %12.1f %16s %16s%n", s.commands(), s.rssKb() / 1024.0,
                        s.heapUsedKb() / 1024.0, mib(s.nmtCommittedKb()), mib(s.nmtOutsideHeapKb())));
            }
            if (!nativeMemoryTracking) {
                out.append("  NMT is off: run the JVM with -XX:NativeMemoryTracking=summary (XSCHED_JAVA_OPTS) to see native memory\n");
            }
            if (!nmtChanges.isEmpty()) {
                out.append("  NMT committed, last sample of the run against the end of warm-up, by category: ")
                        .append(String.join(", ", nmtChanges.subList(0, Math.min(6, nmtChanges.size())))).append('\n');
            }
            out.append(String.format(Locale.ROOT, "  growth after warm-up (%s): %.1f MiB (flat means <= %d MiB): %s%n",
                    nativeMemoryTracking ? "NMT outside the heap" : "RSS", growthKb() / 1024.0, FLAT_SLACK_KB / 1024,
                    flat() ? "FLAT" : "GROWING"));
            out.append("  every command ran exactly once: ").append(miscounted.isEmpty() && accepted == options.commands()
                    ? "yes" : "NO").append('\n');
            miscounted.stream().limit(10).forEach(m -> out.append("  MISCOUNTED: ").append(m).append('\n'));
            hang.ifPresent(h -> out.append(h).append('\n'));
            out.append(passed() && flat() ? "  PASSED" : "  FAILED").append('\n');
            return out.toString();
        }

        private static String mib(long kb) {
            return kb < 0 ? "-" : String.format(Locale.ROOT, "%.1f", kb / 1024.0);
        }
    }

    private Soak() {
    }

    /** The simulator the soak uses without a GPU: kernels take no time, the counter kernel has its Java body. */
    public static SimulatedPlatform simulated() {
        return SimulatedPlatform.builder().realTime().defaultBlockDuration(Duration.ZERO)
                .kernelBody("count_command", (config, args, memory) -> {
                    MemorySegment counter = memory.segment(args.bits(0) + 8 * args.bits(1), 8);
                    counter.set(ValueLayout.JAVA_LONG, 0, counter.get(ValueLayout.JAVA_LONG, 0) + 1);
                })
                .build();
    }

    public static Report run(Options options, HipPlatform platform, PrintStream progress) throws InterruptedException {
        Device gpu = platform.device(0);
        MemorySampler memory = new MemorySampler();
        Watchdog watchdog = new Watchdog(Duration.ofSeconds(60));
        AtomicLong accepted = new AtomicLong();
        AtomicLongArray perQueue = new AtomicLongArray(options.queues());
        List<MemorySampler.Sample> samples = new ArrayList<>();
        List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        HipModule module = gpu.loadModule(gpu.compiler().compile("count_command.cu", COUNT_KERNEL));
        DeviceBuffer counts = gpu.allocate(8L * options.queues());
        XScheduler scheduler = XScheduler.builder().name("soak").jmx(false).policy(options.policy()).build();
        Kernel count = module.function("count_command", ParamType.POINTER, ParamType.INT);
        try (Stream stream = gpu.createStream()) {
            stream.memset(counts, 0);
            stream.synchronize();
        }
        List<XQueue> queues = new ArrayList<>();
        for (int i = 0; i < options.queues(); i++) {
            queues.add(scheduler.createQueue(gpu, XQueueConfig.defaults("soak-" + i)));
        }
        samples.add(memory.sample(0));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < options.threads(); t++) {
            List<Integer> mine = new ArrayList<>();
            for (int q = t; q < options.queues(); q += options.threads()) {
                mine.add(q);
            }
            Watchdog.Probe probe = watchdog.probe("soak-submitter-" + t);
            threads.add(Thread.ofPlatform().daemon().name("soak-submitter-" + t)
                    .start(() -> {
                        try {
                            submit(options, queues, mine, count, counts, accepted, perQueue, probe);
                        } catch (RuntimeException e) {
                            problems.add(Thread.currentThread().getName() + " threw " + StressRefusals.describe(e));
                        }
                    }));
        }
        Optional<Watchdog.Hang> hang = sampleUntilDone(options, threads, watchdog, memory, accepted, samples, progress);
        if (hang.isPresent()) {
            // Nothing is closed: closing would wait for the hung work too.
            return new Report(options, platform.name(), Duration.ofNanos(System.nanoTime() - start), accepted.get(),
                    problems, samples, memory.nativeMemoryTracking(), List.of(), hang);
        }
        List<String> nmtChanges = memory.changesSinceBaseline(); // before closing: the run's own memory
        scheduler.close();
        long[] counted = readCounts(gpu, counts, options.queues());
        counts.close();
        module.close();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        samples.add(memory.sample(accepted.get()));
        List<String> miscounted = new ArrayList<>(problems);
        for (int q = 0; q < options.queues(); q++) {
            if (counted[q] != perQueue.get(q)) {
                miscounted.add("queue soak-" + q + ": " + perQueue.get(q) + " accepted, " + counted[q] + " ran");
            }
        }
        return new Report(options, platform.name(), elapsed, accepted.get(), miscounted, samples,
                memory.nativeMemoryTracking(), nmtChanges, Optional.empty());
    }

    /** One submitter: rounds of {@code window} launches to each of its queues, then a synchronize of each. */
    private static void submit(Options options, List<XQueue> queues, List<Integer> mine, Kernel count, DeviceBuffer counts,
                               AtomicLong accepted, AtomicLongArray perQueue, Watchdog.Probe probe) {
        LaunchConfig one = LaunchConfig.of(1, 1);
        while (true) {
            probe.begin("launching");
            for (int q : mine) {
                KernelArgs args = KernelArgs.builder().pointer(counts).i32(q).build();
                for (int i = 0; i < options.window(); i++) {
                    if (accepted.getAndIncrement() >= options.commands()) {
                        accepted.decrementAndGet();
                        probe.end();
                        return;
                    }
                    queues.get(q).launch(count, one, args);
                    perQueue.incrementAndGet(q);
                }
            }
            probe.begin("synchronizing");
            for (int q : mine) {
                queues.get(q).synchronize();
            }
            probe.end();
        }
    }

    private static Optional<Watchdog.Hang> sampleUntilDone(Options options, List<Thread> threads, Watchdog watchdog,
                                                           MemorySampler memory, AtomicLong accepted,
                                                           List<MemorySampler.Sample> samples, PrintStream progress)
            throws InterruptedException {
        long step = Math.max(1, options.commands() / (options.samples() - 1));
        long next = step;
        while (threads.stream().anyMatch(Thread::isAlive)) {
            threads.getFirst().join(Duration.ofMillis(50));
            Optional<Watchdog.Hang> hang = watchdog.check();
            if (hang.isPresent()) {
                return hang;
            }
            long done = accepted.get();
            if (done >= next && done < options.commands()) {
                MemorySampler.Sample sample = memory.sample(done);
                if (samples.stream().noneMatch(s -> s.commands() >= options.commands() / 5) && done >= options.commands() / 5) {
                    memory.baseline(); // the end of warm-up: what grows after it shows in the report by category
                }
                samples.add(sample);
                next = (done / step + 1) * step;
                if (progress != null) {
                    progress.printf(Locale.ROOT, "  %d commands, RSS %.1f MiB%n", done, sample.rssKb() / 1024.0);
                }
            }
        }
        return Optional.empty();
    }

    private static long[] readCounts(Device gpu, DeviceBuffer counts, int queues) {
        try (Arena arena = Arena.ofShared(); Stream stream = gpu.createStream()) {
            MemorySegment host = arena.allocate(8L * queues, 8);
            stream.copy(host, counts);
            stream.synchronize();
            return host.toArray(ValueLayout.JAVA_LONG);
        }
    }
}
