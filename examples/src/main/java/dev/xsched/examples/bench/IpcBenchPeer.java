package dev.xsched.examples.bench;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Client B of {@code xsched bench ipc}, in its own JVM: one low-priority queue that always has work,
 * and a thread that watches the queue's suspended flag and prints {@code S <nanoTime>} or
 * {@code R <nanoTime>} the moment it flips. Ends when stdin closes.
 */
public final class IpcBenchPeer {
    private IpcBenchPeer() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        try (GateKernel gate = new GateKernel();
             XScheduler scheduler = XScheduler.builder().name("bench-ipc-b").server(Path.of(args[0])).jmx(false).build()) {
            XQueue queue = scheduler.createQueue(gate.device(), XQueueConfig.defaults("b")).hint(new Hint.Priority(-10));
            gate.launchOn(queue); // never opened: the queue has work for the whole run
            Thread watcher = Thread.ofPlatform().daemon().name("bench-ipc-watcher").start(() -> {
                boolean suspended = queue.stats().suspended();
                out.println("ready " + suspended);
                while (!Thread.currentThread().isInterrupted()) {
                    boolean now = queue.stats().suspended();
                    if (now != suspended) {
                        long at = System.nanoTime();
                        suspended = now;
                        out.println((now ? "S " : "R ") + at);
                    }
                    Thread.onSpinWait();
                }
            });
            while (System.in.read() >= 0) {
                // Runs until the benchmark closes our stdin.
            }
            watcher.interrupt();
            System.exit(0); // the gate kernel never ends: do not drain
        }
    }
}
