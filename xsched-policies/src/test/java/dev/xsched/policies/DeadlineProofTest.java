package dev.xsched.policies;

import dev.xsched.core.XQueue;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.hip.sim.KernelRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.xsched.policies.SimRig.MS;
import static dev.xsched.policies.SimRig.US;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deadlines on the simulated GPU (4 compute units, every kernel device-wide, the scheduler reacting
 * every 20 us). A background job with no deadline keeps the device busy (0.5 ms kernels,
 * threshold 4: up to 2 ms in flight). Two periodic tasks:
 * <ul>
 *   <li>P: every 20 ms, 16 kernels of 250 us (4 ms of work), relative deadline 8 ms;</li>
 *   <li>Q: every 30 ms, 8 kernels of 250 us (2 ms), relative deadline 12 ms;</li>
 * </ul>
 * both released together every 60 ms. Feasible under EDF even with Level-1 blocking: P finishes
 * within 2 ms (background in flight) + 4 ms = 6 ms, Q after it within 8 ms. A job's completion is
 * its last kernel's end, from the simulator's records.
 */
class DeadlineProofTest {
    private static final long STEP = 20 * US;
    private static final long START = 10 * MS;
    private static final long END = 610 * MS;

    record Task(String name, long period, int kernels, long deadline) {
    }

    private static final Task P = new Task("p", 20 * MS, 16, 8 * MS);
    private static final Task Q = new Task("q", 30 * MS, 8, 12 * MS);

    /** Response times (release to completion) of every job of each task, P first. */
    private static List<List<Long>> responseTimes(Policy policy) {
        try (SimRig rig = new SimRig(policy, 4, false, STEP, "bg", "p", "q")) {
            XQueue bg = rig.queue("background", 4, 2);
            rig.keepBusy(bg, "bg", 4, 500 * US, 4);
            List<List<Long>> result = new ArrayList<>();
            List<XQueue> queues = new ArrayList<>();
            for (Task task : List.of(P, Q)) {
                XQueue queue = rig.queue(task.name(), 4, 2, new Hint.Deadline(task.deadline()));
                queues.add(queue);
                for (long t = START; t < END; t += task.period()) {
                    rig.at(t, () -> {
                        for (int k = 0; k < task.kernels(); k++) {
                            rig.launch(queue, task.name(), 4, 250 * US);
                        }
                    });
                }
            }
            rig.runUntil(END + 50 * MS);
            for (int i = 0; i < 2; i++) {
                Task task = List.of(P, Q).get(i);
                List<KernelRecord> records = rig.kernels(queues.get(i));
                List<Long> responses = new ArrayList<>();
                int jobs = (int) ((END - START + task.period() - 1) / task.period());
                assertThat(records).hasSize(jobs * task.kernels());
                for (int job = 0; job < jobs; job++) {
                    long release = START + job * task.period();
                    responses.add(records.get(job * task.kernels() + task.kernels() - 1).endNanos() - release);
                }
                result.add(responses);
            }
            return result;
        }
    }

    private static long misses(List<Long> responses, Task task) {
        return responses.stream().filter(r -> r > task.deadline()).count();
    }

    private static double max(List<Long> responses) {
        return responses.stream().mapToLong(Long::longValue).max().orElseThrow() / 1e6;
    }

    @Test
    void kedfMeetsEveryDeadlineOfAFeasiblePeriodicTaskSetWhereFifoMissesSome() {
        List<List<Long>> kedf = responseTimes(new KedfPolicy(1));
        List<List<Long>> fifo = responseTimes(new FifoPolicy());
        System.out.printf("kedf: P max response %.3f ms (deadline 8), Q max %.3f ms (deadline 12), misses %d + %d of %d + %d%n",
                max(kedf.get(0)), max(kedf.get(1)), misses(kedf.get(0), P), misses(kedf.get(1), Q), kedf.get(0).size(), kedf.get(1).size());
        System.out.printf("fifo: P max response %.3f ms, Q max %.3f ms, misses %d + %d%n",
                max(fifo.get(0)), max(fifo.get(1)), misses(fifo.get(0), P), misses(fifo.get(1), Q));
        assertThat(kedf.get(0)).allMatch(r -> r <= P.deadline(), "every P job meets its deadline");
        assertThat(kedf.get(1)).allMatch(r -> r <= Q.deadline(), "every Q job meets its deadline");
        assertThat(misses(fifo.get(0), P) + misses(fifo.get(1), Q)).isPositive();
    }

    @Test
    void anAbsoluteDeadlineRanksAJobOfAQueueWithoutARelativeOne() {
        try (SimRig rig = new SimRig(new KedfPolicy(1), 4, false, STEP, "bg", "job")) {
            XQueue bg = rig.queue("background", 4, 2, new Hint.Deadline(1_000 * MS));
            rig.keepBusy(bg, "bg", 4, 500 * US, 4);
            XQueue urgent = rig.queue("urgent", 4, 2);
            rig.at(20 * MS, () -> {
                urgent.hint(new Hint.AbsoluteDeadline(30 * MS));
                for (int k = 0; k < 16; k++) {
                    rig.launch(urgent, "job", 4, 250 * US);
                }
            });
            rig.runUntil(60 * MS);
            long end = rig.kernels(urgent).getLast().endNanos();
            System.out.printf("kedf, absolute deadline 30 ms: the job (4 ms of work, released at 20 ms) ended at %.3f ms%n", end / 1e6);
            assertThat(end).isLessThanOrEqualTo(30 * MS);
        }
    }
}
