package dev.xsched.examples.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deadline run's misses grouped by time: missed instances released within {@link #GAP_NANOS} of
 * each other form one window. On the H200 most of kedf's misses came in a few such windows where
 * every task ran late at once (a stall of the host or the device, not one scheduling decision),
 * the rest alone and by fractions of a millisecond; the windows say which at a glance, where the
 * CSV needs a script.
 */
final class MissWindows {
    /** Misses released this close together belong to one window: ten of task A's periods. */
    static final long GAP_NANOS = 100_000_000L;

    /**
     * One missed instance: its task, release (from the measured interval's start), lateness,
     * whether a GC ran during it, its thread's run-queue wait, and the time its thread kept its CPU
     * and still did not run (the hypervisor or interrupts), in milliseconds (NaN: unknown).
     */
    record Miss(String task, long releaseNanos, long lateNanos, boolean completed, boolean gc, double runQueueMs,
                double offCpuMs) {
        Miss(String task, long releaseNanos, long lateNanos, boolean completed, boolean gc) {
            this(task, releaseNanos, lateNanos, completed, gc, Double.NaN, Double.NaN);
        }
    }

    /** A window's threads waited on the run queue this long at least before it says so: below, it is noise. */
    static final double RUN_QUEUE_NOTED_MS = 0.1;

    /** Misses released within {@link #GAP_NANOS} of each other, in release order. */
    record Window(List<Miss> misses) {
        long fromNanos() {
            return misses.getFirst().releaseNanos();
        }

        long toNanos() {
            return misses.getLast().releaseNanos();
        }

        /**
         * "12.30-12.41 s: 3 (A 2, B 1), late by up to 4.20 ms, 1 during a GC, up to 3.10 ms on the run
         * queue, up to 2.00 ms lost while keeping the CPU".
         */
        String describe() {
            Map<String, Integer> byTask = new TreeMap<>();
            long worst = 0;
            int gcs = 0;
            int notCompleted = 0;
            double runQueue = 0;
            double offCpu = 0;
            for (Miss m : misses) {
                byTask.merge(m.task(), 1, Integer::sum);
                worst = Math.max(worst, m.lateNanos());
                gcs += m.gc() ? 1 : 0;
                notCompleted += m.completed() ? 0 : 1;
                runQueue = Double.isNaN(m.runQueueMs()) ? runQueue : Math.max(runQueue, m.runQueueMs());
                offCpu = Double.isNaN(m.offCpuMs()) ? offCpu : Math.max(offCpu, m.offCpuMs());
            }
            StringBuilder tasks = new StringBuilder();
            byTask.forEach((task, n) -> tasks.append(tasks.isEmpty() ? "" : ", ").append(task).append(' ').append(n));
            String when = fromNanos() == toNanos() ? String.format(Locale.ROOT, "%.2f s", fromNanos() / 1e9)
                    : String.format(Locale.ROOT, "%.2f-%.2f s", fromNanos() / 1e9, toNanos() / 1e9);
            return String.format(Locale.ROOT, "%s: %d (%s), late by up to %.2f ms%s%s%s%s", when, misses.size(), tasks,
                    worst / 1e6, notCompleted > 0 ? ", " + notCompleted + " never completed" : "",
                    gcs > 0 ? ", " + gcs + " during a GC" : "",
                    runQueue >= RUN_QUEUE_NOTED_MS ? String.format(Locale.ROOT, ", up to %.2f ms on the run queue", runQueue) : "",
                    offCpu >= RUN_QUEUE_NOTED_MS
                            ? String.format(Locale.ROOT, ", up to %.2f ms lost while keeping the CPU", offCpu) : "");
        }
    }

    private MissWindows() {
    }

    /** The misses of {@code run}, grouped into windows in release order. */
    static List<Window> of(PolicyBenchmark.DeadlineRun run) {
        List<Miss> misses = new ArrayList<>();
        for (int i = 0; i < run.tasks().size(); i++) {
            PolicyBenchmark.Task task = PolicyBenchmark.TASKS.get(i);
            long deadline = PolicyBenchmark.nanos(task.deadlineMs() / 1e3);
            long[] releases = run.releases().get(i);
            long[] responses = run.responses().get(i);
            GcCounters[] gcs = run.gcs().get(i);
            double[] runQueues = run.runQueues().get(i);
            double[] offCpus = run.offCpus().get(i);
            for (int k = 0; k < releases.length; k++) {
                boolean completed = responses[k] != DeadlineAccounting.NOT_COMPLETED;
                if (!completed || responses[k] > deadline) {
                    misses.add(new Miss(task.name(), releases[k], completed ? responses[k] - deadline : 0, completed,
                            gcs[k] != null && gcs[k].count() > 0, runQueues[k], offCpus[k]));
                }
            }
        }
        misses.sort(Comparator.comparingLong(Miss::releaseNanos));
        List<Window> windows = new ArrayList<>();
        List<Miss> current = new ArrayList<>();
        for (Miss m : misses) {
            if (!current.isEmpty() && m.releaseNanos() - current.getLast().releaseNanos() > GAP_NANOS) {
                windows.add(new Window(List.copyOf(current)));
                current.clear();
            }
            current.add(m);
        }
        if (!current.isEmpty()) {
            windows.add(new Window(List.copyOf(current)));
        }
        return windows;
    }

    /**
     * One line per scheduled mode that missed: its windows, the largest {@code shown} first, and
     * how many instances the others hold.
     */
    static List<String> describe(List<PolicyBenchmark.DeadlineRun> runs, int shown) {
        List<String> lines = new ArrayList<>();
        for (PolicyBenchmark.DeadlineRun run : runs) {
            if (!(run.mode() instanceof Mode.Scheduled)) {
                continue; // the native modes miss by the hundred: windows say nothing there
            }
            List<Window> windows = new ArrayList<>(of(run));
            if (windows.isEmpty()) {
                continue;
            }
            windows.sort(Comparator.comparingInt((Window w) -> w.misses().size()).reversed()
                    .thenComparingLong(Window::fromNanos));
            StringBuilder line = new StringBuilder(run.mode() + " misses by window (released within "
                    + GAP_NANOS / 1_000_000 + " ms of each other): ");
            for (int i = 0; i < Math.min(shown, windows.size()); i++) {
                line.append(i == 0 ? "" : "; ").append(windows.get(i).describe());
            }
            int rest = windows.stream().skip(shown).mapToInt(w -> w.misses().size()).sum();
            if (rest > 0) {
                line.append(String.format(Locale.ROOT, "; %d more in %d other windows", rest, windows.size() - shown));
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
