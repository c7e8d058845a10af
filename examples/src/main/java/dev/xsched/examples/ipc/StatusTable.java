package dev.xsched.examples.ipc;

import dev.xsched.ipc.protocol.Message;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The table of {@code xsched top}: one row per queue of every connected process. The share of GPU
 * time is the part of the interval in which the queue had work and was allowed to run (its hold
 * on the device); over the interval since the previous snapshot, or since the queue appeared.
 * Queues of equal priority run together, so the shares of one device may add up to more than 100%.
 */
public final class StatusTable {
    private StatusTable() {
    }

    /** Formats {@code current}; {@code previous} (or null) gives the interval for the shares. */
    public static String format(Message.Status previous, Message.Status current) {
        Map<String, Message.QueueRow> before = new HashMap<>();
        if (previous != null) {
            previous.queues().forEach(r -> before.put(key(r), r));
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "xsched server: policy %s, %d queue(s), %s%n", current.policy(),
                current.queues().size(), cpu(previous, current)));
        out.append(String.format(Locale.ROOT, "%-8s %-14s %-16s %-8s %-9s %-22s %10s %10s %6s%n", "PID", "PROCESS", "QUEUE",
                "DEVICE", "STATE", "HINTS", "SUBMITTED", "COMPLETED", "GPU%"));
        for (Message.QueueRow row : current.queues()) {
            Message.QueueRow earlier = before.get(key(row));
            double share = earlier != null && current.now() > previous.now()
                    ? (double) (row.heldNanos() - earlier.heldNanos()) / (current.now() - previous.now())
                    : row.ageNanos() > 0 ? (double) row.heldNanos() / row.ageNanos() : 0;
            out.append(String.format(Locale.ROOT, "%-8d %-14s %-16s %-8s %-9s %-22s %10d %10d %5.1f%%%n", row.pid(),
                    clip(row.process(), 14), clip(row.queueId() + ":" + row.name(), 16), row.device().toString().substring(0, 8),
                    state(row), clip(row.hints().isEmpty() ? "-" : row.hints(), 22), row.submitted(), row.completed(),
                    100 * share));
        }
        return out.toString();
    }

    /**
     * The server's CPU use: its thread's share of one core since the previous snapshot (or its
     * total so far on the first), and the total CPU time of its JVM.
     */
    static String cpu(Message.Status previous, Message.Status current) {
        if (current.serverThreadCpuNanos() < 0) {
            return "server CPU not measurable";
        }
        String process = current.serverProcessCpuNanos() < 0 ? ""
                : String.format(Locale.ROOT, ", JVM %.1f s in all", current.serverProcessCpuNanos() / 1e9);
        if (previous != null && previous.serverThreadCpuNanos() >= 0 && current.now() > previous.now()) {
            double share = (double) (current.serverThreadCpuNanos() - previous.serverThreadCpuNanos())
                    / (current.now() - previous.now());
            return String.format(Locale.ROOT, "server thread CPU %.2f%% of a core%s", 100 * share, process);
        }
        return String.format(Locale.ROOT, "server thread CPU %.3f s so far%s", current.serverThreadCpuNanos() / 1e9, process);
    }

    /** running: has work and may run; held: has work, suspended; idle: no work. */
    static String state(Message.QueueRow row) {
        if (!row.ready()) {
            return row.suspended() ? "idle,held" : "idle";
        }
        return row.suspended() ? "held" : "running";
    }

    private static String key(Message.QueueRow row) {
        return row.pid() + "/" + row.queueId();
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }
}
