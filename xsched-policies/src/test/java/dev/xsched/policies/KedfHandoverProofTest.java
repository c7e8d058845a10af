package dev.xsched.policies;

import dev.xsched.core.XQueue;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.sim.KernelRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.xsched.policies.SimRig.MS;
import static dev.xsched.policies.SimRig.US;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * KEDF's hand-over on the simulated GPU in virtual time (4 compute units, every kernel device-wide,
 * equal stream priorities, the scheduler reacting every 20 us), with the task set of
 * {@code xsched bench policies}' deadline benchmark: A every 10 ms 4 kernels of 0.5 ms (deadline
 * 6 ms), B every 20 ms 6 of 1 ms (15 ms), C every 100 ms 15 of 2 ms (100 ms), released at phases
 * 0.4, 0.2 and 0 ms, each on an XQueue of threshold 1.
 */
class KedfHandoverProofTest {
    private static final long STEP = 20 * US;

    record Task(String name, long period, long phase, int kernels, long kernelNanos, long deadline) {
    }

    private static final Task A = new Task("a", 10 * MS, 400 * US, 4, 500 * US, 6 * MS);
    private static final Task B = new Task("b", 20 * MS, 200 * US, 6, MS, 15 * MS);
    private static final Task C = new Task("c", 100 * MS, 0, 15, 2 * MS, 100 * MS);
    private static final List<Task> TASKS = List.of(A, B, C);

    /** Per task, its kernels' records, after releasing every job in [0, end). */
    private static List<List<KernelRecord>> run(KedfPolicy policy, long end) {
        try (SimRig rig = new SimRig(policy, 4, false, STEP, "a", "b", "c")) {
            List<XQueue> queues = new ArrayList<>();
            for (Task task : TASKS) {
                XQueue queue = rig.queue(task.name(), 1, 1, new Hint.Deadline(task.deadline()));
                queues.add(queue);
                for (long t = task.phase(); t < end; t += task.period()) {
                    rig.at(t, () -> {
                        for (int k = 0; k < task.kernels(); k++) {
                            rig.launch(queue, task.name(), 4, task.kernelNanos());
                        }
                    });
                }
            }
            rig.runUntil(end + 100 * MS);
            return queues.stream().map(rig::kernels).toList();
        }
    }

    /** Response times (release to last kernel's end) of every job of {@code task}. */
    private static List<Long> responses(Task task, List<KernelRecord> records, long end) {
        List<Long> out = new ArrayList<>();
        int job = 0;
        for (long release = task.phase(); release < end; release += task.period(), job++) {
            out.add(records.get(job * task.kernels() + task.kernels() - 1).endNanos() - release);
        }
        return out;
    }

    @Test
    void aLaterDeadlineDoesNotCommitTheDeviceWhileAnEarlierLosersWorkRuns() {
        // At 0.2 ms B becomes ready while C's first 2 ms kernel runs; at 0.4 ms A does (earliest deadline).
        List<List<KernelRecord>> drain = run(new KedfPolicy(1, KedfPolicy.Handover.DRAIN, 20 * US), 1 * MS);
        List<List<KernelRecord>> immediate = run(new KedfPolicy(1, KedfPolicy.Handover.IMMEDIATE, 20 * US), 1 * MS);

        long aStart = drain.get(0).getFirst().startNanos();
        assertThat(aStart).as("A starts as C's kernel ends").isBetween(2 * MS, 2 * MS + 2 * STEP);
        assertThat(drain.get(1).getFirst().startNanos()).as("B waits for A").isGreaterThanOrEqualTo(drain.get(0).getLast().endNanos());
        assertThat(immediate.get(1).getFirst().startNanos()).as("released at once, B's kernel goes before A's")
                .isLessThan(immediate.get(0).getFirst().startNanos());
        long drainA = drain.get(0).getLast().endNanos() - A.phase();
        long immediateA = immediate.get(0).getLast().endNanos() - A.phase();
        System.out.printf("A's response when B arrives just before it behind C's kernel: drain %.3f ms, immediate %.3f ms%n",
                drainA / 1e6, immediateA / 1e6);
        assertThat(immediateA - drainA).as("B's 1 ms kernel is off A's path").isGreaterThanOrEqualTo(900 * US);
    }

    @Test
    void overTheBenchmarksTaskSetDrainShortensTheEarliestDeadlinesWorstResponseAndMissesNothing() {
        long end = 400 * MS;
        List<List<KernelRecord>> drain = run(new KedfPolicy(1, KedfPolicy.Handover.DRAIN, 20 * US), end);
        List<List<KernelRecord>> immediate = run(new KedfPolicy(1, KedfPolicy.Handover.IMMEDIATE, 20 * US), end);
        for (int i = 0; i < TASKS.size(); i++) {
            Task task = TASKS.get(i);
            List<Long> d = responses(task, drain.get(i), end);
            List<Long> im = responses(task, immediate.get(i), end);
            System.out.printf("task %s (deadline %d ms): worst response drain %.3f ms, immediate %.3f ms%n", task.name(),
                    task.deadline() / MS, max(d) / 1e6, max(im) / 1e6);
            assertThat(d).as("task %s under drain", task.name()).allMatch(r -> r <= task.deadline());
        }
        assertThat(max(responses(A, drain.get(0), end))).isLessThan(max(responses(A, immediate.get(0), end)) - 900 * US);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElseThrow();
    }
}
