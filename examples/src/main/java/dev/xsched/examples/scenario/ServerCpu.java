package dev.xsched.examples.scenario;

import dev.xsched.ipc.client.ControlClient;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.ipc.server.SchedulerServer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The scheduler server's CPU use over a mode's measured window, as a share of one core: its
 * thread's (the selector, the policy, the socket reads and writes) and, for a server in a JVM of its
 * own, its whole JVM's (with the JIT compiler and the garbage collector). The goal: below 5% of one
 * core while the scenario runs in two processes.
 *
 * @param threadShare  the server thread's CPU time over the window's wall time
 * @param processShare the server JVM's CPU time over the window's wall time; null for a server in
 *                     this JVM, whose process time would count the demo itself
 * @param where        "in-process" or "external"
 */
record ServerCpu(Double threadShare, Double processShare, String where) {
    /** One reading: wall time and the two CPU times (-1: not measurable). */
    record Sample(long wallNanos, long threadCpuNanos, long processCpuNanos) {
    }

    /** Reads the server's CPU times. */
    interface Meter {
        Sample sample() throws IOException;

        boolean external();

        /** A server in this JVM: its thread's CPU time directly. */
        static Meter of(SchedulerServer server) {
            return new Meter() {
                @Override
                public Sample sample() {
                    return new Sample(System.nanoTime(), server.threadCpuNanos(), -1);
                }

                @Override
                public boolean external() {
                    return false;
                }
            };
        }

        /** A server elsewhere: through its status ({@code xsched top}'s request). */
        static Meter of(Path socket) {
            return new Meter() {
                @Override
                public Sample sample() throws IOException {
                    try (ControlClient control = ControlClient.connect(socket, "xsched demo")) {
                        Message.Status status = control.status();
                        return new Sample(System.nanoTime(), status.serverThreadCpuNanos(), status.serverProcessCpuNanos());
                    }
                }

                @Override
                public boolean external() {
                    return true;
                }
            };
        }
    }

    /** The shares between two samples; null where either side could not measure. */
    static ServerCpu between(Sample from, Sample to, boolean external) {
        double wall = to.wallNanos() - from.wallNanos();
        return new ServerCpu(share(from.threadCpuNanos(), to.threadCpuNanos(), wall),
                external ? share(from.processCpuNanos(), to.processCpuNanos(), wall) : null, external ? "external" : "in-process");
    }

    private static Double share(long from, long to, double wall) {
        return from < 0 || to < 0 || wall <= 0 ? null : (to - from) / wall;
    }

    String describe() {
        String thread = threadShare == null ? "not measurable" : String.format(Locale.ROOT, "%.2f%% of one core", 100 * threadShare);
        String process = processShare == null ? "" : String.format(Locale.ROOT, " (its whole JVM: %.2f%%)", 100 * processShare);
        return "server thread CPU " + thread + process + ", " + where;
    }
}
