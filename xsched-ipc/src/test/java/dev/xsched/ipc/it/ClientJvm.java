package dev.xsched.ipc.it;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XQueueStats;
import dev.xsched.core.XScheduler;
import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.YieldableKernels;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A client process for the multi-JVM tests: one XQueue on simulated device 0 (real time), scheduled
 * by the server at {@code args[0]}, driven line by line over stdin. Its held work is a command
 * behind a {@link SimGate}, so a queue has work exactly as long as the test wants, with no timing
 * involved; its other work takes simulated time.
 *
 * <pre>
 * hold             submit one command behind the gate                    -> ok
 * release          let one held command through                          -> ok
 * await suspended  wait until the queue is suspended (running: resumed)  -> ok
 * sync             wait until everything submitted completed             -> ok
 * state            -> suspended=B submitted=N completed=N ran=N (ran: held commands that ran)
 * yieldable N      launch N yieldable kernels of 4 blocks of 5 ms each   -> ok
 * bursts N         N times: a 0.1 ms kernel, wait for it, pause 2 ms     -> ok
 * work             -> launched=N ran=N once=B yielded=N suspensions=N (yieldable work: each launch's body ran once)
 * word             -> word=N, the sum of this process's stop words, read through a mapping of its own
 * exit             open the gate, close the scheduler                    -> bye
 * </pre>
 */
public final class ClientJvm {
    private static final String SOURCE = YieldableKernels.PRELUDE + """
            extern "C" __global__ void gated() { }
            extern "C" __global__ void quick(int n) { }
            extern "C" __global__ void lp_yield(int n, XSCHED_YIELD_PARAMS) { }
            """;

    private ClientJvm() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path socket = Path.of(args[0]);
        String name = args[1];
        int priority = Integer.parseInt(args[2]);
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger yieldableLaunched = new AtomicInteger();
        ConcurrentHashMap<Integer, AtomicInteger> yieldableRuns = new ConcurrentHashMap<>();
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime()
                .kernelBody("gated", (config, kernelArgs, memory) -> ran.incrementAndGet())
                .kernelBody("lp_yield", (config, kernelArgs, memory) -> yieldableRuns
                        .computeIfAbsent((int) kernelArgs.bits(0), k -> new AtomicInteger()).incrementAndGet())
                .build();
             XScheduler scheduler = XScheduler.builder().name(name).server(socket).jmx(false).build()) {
            Device gpu = sim.device(0);
            HipModule module = gpu.loadModule(gpu.compiler().compile("client.hip", SOURCE));
            Kernel gated = SimulatedPlatform.withBlockDuration(module.function("gated"), Duration.ofNanos(1_000));
            Kernel quick = SimulatedPlatform.withBlockDuration(module.function("quick", ParamType.INT), Duration.ofNanos(100_000));
            Kernel yieldable = SimulatedPlatform.withBlockDuration(module.function("lp_yield", ParamType.INT, ParamType.POINTER,
                    ParamType.POINTER, ParamType.POINTER), Duration.ofMillis(5));
            SimGate gate = new SimGate(gpu, gated);
            XQueue queue = scheduler.createQueue(gpu, XQueueConfig.defaults(name)).hint(new Hint.Priority(priority));
            out.println("started pid=" + ProcessHandle.current().pid());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.split(" ");
                switch (words[0]) {
                    case "hold" -> {
                        gate.hold(queue);
                        out.println("ok");
                    }
                    case "release" -> {
                        gate.release();
                        out.println("ok");
                    }
                    case "await" -> {
                        boolean wanted = line.endsWith("suspended");
                        while (queue.stats().suspended() != wanted) {
                            LockSupport.parkNanos(200_000);
                        }
                        out.println("ok");
                    }
                    case "sync" -> {
                        queue.synchronize();
                        out.println("ok");
                    }
                    case "state" -> {
                        XQueueStats s = queue.stats();
                        out.println("suspended=" + s.suspended() + " submitted=" + s.submitted() + " completed="
                                + s.completed() + " ran=" + ran.get());
                    }
                    case "yieldable" -> {
                        for (int i = 0; i < Integer.parseInt(words[1]); i++) {
                            queue.launchYieldable(yieldable, LaunchConfig.of(4, 64),
                                    KernelArgs.builder().i32(yieldableLaunched.getAndIncrement()).build());
                        }
                        out.println("ok");
                    }
                    case "bursts" -> {
                        for (int i = 0; i < Integer.parseInt(words[1]); i++) {
                            queue.launch(quick, LaunchConfig.of(1, 64), KernelArgs.builder().i32(i).build());
                            queue.synchronize();
                            LockSupport.parkNanos(2_000_000); // idle between requests: each one turns the queue ready
                        }
                        out.println("ok");
                    }
                    case "work" -> {
                        int launched = yieldableLaunched.get();
                        boolean once = yieldableRuns.size() == launched
                                && yieldableRuns.values().stream().allMatch(n -> n.get() == 1);
                        XQueueStats s = queue.stats();
                        out.println("launched=" + launched + " ran=" + yieldableRuns.size() + " once=" + once
                                + " yielded=" + s.yielded() + " suspensions=" + s.suspensions());
                    }
                    case "word" -> out.println("word=" + sumOfStopWords());
                    case "exit" -> {
                        gate.open();
                        scheduler.close();
                        gate.close();
                        module.close();
                        out.println("bye");
                        return;
                    }
                    default -> out.println("unknown command " + line);
                }
            }
        }
    }

    /**
     * The sum of this process's stop words ({@link StopWordFile#defaultPath()}, the file of its one
     * scheduler), read through a mapping of this method's own, as another process would see them.
     */
    private static long sumOfStopWords() throws IOException {
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(StopWordFile.defaultPath(), StandardOpenOption.READ)) {
            MemorySegment words = channel.map(FileChannel.MapMode.READ_ONLY, 0, (long) StopWordFile.WORDS * Integer.BYTES, arena);
            long sum = 0;
            for (int i = 0; i < StopWordFile.WORDS; i++) {
                sum += Integer.toUnsignedLong(words.getAtIndex(ValueLayout.JAVA_INT, i));
            }
            return sum;
        }
    }
}
