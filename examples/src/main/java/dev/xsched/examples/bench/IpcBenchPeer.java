package dev.xsched.examples.bench;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.ipc.client.ServerDecisionSource;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Client B of {@code xsched bench ipc}, in its own JVM: one low-priority queue that always has work,
 * and a thread that watches the queue's suspended flag and prints {@code S <nanoTime>} or
 * {@code R <nanoTime>} the moment it flips. Ends when stdin closes; a line {@code state} on stdin
 * is answered with {@code STATE} and its queue's counters and its link's traffic.
 */
public final class IpcBenchPeer {
    private IpcBenchPeer() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        ServerDecisionSource source = new ServerDecisionSource(Path.of(args[0]), "bench-ipc-b", IpcBenchmark.BENCH_CLIENT_OPTIONS);
        try (GateKernel gate = new GateKernel();
             XScheduler scheduler = XScheduler.builder().name("bench-ipc-b").decisionSource(source).jmx(false).build()) {
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
            // Runs until the benchmark closes our stdin; a line "state" asks for this side of a
            // round that went quiet: the queue's counters and what crossed the socket.
            var requests = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = requests.readLine()) != null; ) {
                if (line.equals("state")) {
                    out.println("STATE " + queue.stats() + " " + source.traffic() + " connected=" + source.isConnected());
                }
            }
            watcher.interrupt();
            System.exit(0); // the gate kernel never ends: do not drain
        }
    }
}
