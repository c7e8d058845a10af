package dev.xsched.ipc.it;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XQueueStats;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.Device;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A client process for the multi-JVM tests: one XQueue on simulated device 0 (real time), scheduled
 * by the server at {@code args[0]}, driven line by line over stdin. Its work is launches of a
 * "gate" kernel whose simulated body waits until the test opens the gate, so a queue has work
 * exactly as long as the test wants, with no timing involved.
 *
 * <pre>
 * hold             launch a gate kernel                                  -> ok
 * release          open the gate for one kernel                          -> ok
 * await suspended  wait until the queue is suspended (running: resumed)  -> ok
 * sync             wait until everything submitted completed             -> ok
 * state            -> suspended=B submitted=N completed=N ran=N
 * exit             open every gate, close the scheduler                  -> bye
 * </pre>
 * A gate body holds the simulator while it waits: submit the next gate only after a release.
 */
public final class ClientJvm {
    private ClientJvm() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path socket = Path.of(args[0]);
        String name = args[1];
        int priority = Integer.parseInt(args[2]);
        AtomicInteger ran = new AtomicInteger();
        Semaphore gate = new Semaphore(0);
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime()
                .kernelBody("gate", (config, kernelArgs, memory) -> {
                    gate.acquireUninterruptibly();
                    ran.incrementAndGet();
                }).build();
             XScheduler scheduler = XScheduler.builder().name(name).server(socket).jmx(false).build()) {
            Device gpu = sim.device(0);
            Kernel kernel = SimulatedPlatform.withBlockDuration(gpu.loadModule(gpu.compiler()
                    .compile("gate.hip", "extern \"C\" __global__ void gate() { }")).function("gate"), Duration.ofNanos(1_000));
            XQueue queue = scheduler.createQueue(gpu, XQueueConfig.defaults(name)).hint(new Hint.Priority(priority));
            out.println("started pid=" + ProcessHandle.current().pid());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                switch (line) {
                    case "hold" -> {
                        queue.launch(kernel, LaunchConfig.of(1, 1), KernelArgs.builder().build());
                        out.println("ok");
                    }
                    case "release" -> {
                        gate.release();
                        out.println("ok");
                    }
                    case "await suspended", "await running" -> {
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
                    case "exit" -> {
                        gate.release(1_000);
                        scheduler.close();
                        out.println("bye");
                        return;
                    }
                    default -> out.println("unknown command " + line);
                }
            }
        }
    }
}
