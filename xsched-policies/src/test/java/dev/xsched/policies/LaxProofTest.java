package dev.xsched.policies;

import dev.xsched.core.XQueue;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.hip.sim.KernelRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.xsched.policies.SimRig.MS;
import static dev.xsched.policies.SimRig.US;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * LAX on the simulated GPU: queue A (static priority 10) is always busy with 0.5 ms device-wide
 * kernels (threshold 4: 2 ms in flight); at 20 ms queue B (laxity 5 ms, low priority 0, critical
 * 20) submits 8 kernels of 250 us.
 */
class LaxProofTest {
    private static final long STEP = 20 * US;
    private static final long ARRIVAL = 20 * MS;
    private static final long LAXITY = 5 * MS;

    private static List<KernelRecord> laxJob(Policy policy) {
        try (SimRig rig = new SimRig(policy, 4, false, STEP, "a", "b")) {
            XQueue a = rig.queue("a", 4, 2, new Hint.Priority(10));
            rig.keepBusy(a, "a", 4, 500 * US, 4);
            XQueue b = rig.queue("b", 4, 2, new Hint.Laxity(LAXITY, 0, 20));
            rig.at(ARRIVAL, () -> {
                for (int k = 0; k < 8; k++) {
                    rig.launch(b, "b", 4, 250 * US);
                }
            });
            rig.runUntil(60 * MS);
            return rig.kernels(b);
        }
    }

    @Test
    void aQueuePastItsLaxityPreemptsAHigherStaticPriority() {
        List<KernelRecord> b = laxJob(new LaxPolicy());
        long start = b.getFirst().startNanos();
        long end = b.getLast().endNanos();
        System.out.printf("lax: B (laxity 5 ms, ready at 20 ms) started at %.3f ms and ended at %.3f ms%n", start / 1e6, end / 1e6);
        assertThat(b).hasSize(8);
        assertThat(start).as("waits while its laxity lasts: priority 0 < 10")
                .isGreaterThanOrEqualTo(ARRIVAL + LAXITY);
        assertThat(start).as("then preempts A, after A's in-flight kernels (4 x 0.5 ms)")
                .isLessThanOrEqualTo(ARRIVAL + LAXITY + 2 * MS + STEP);
        assertThat(end).isLessThanOrEqualTo(ARRIVAL + LAXITY + 2 * MS + 2 * MS + STEP);
    }

    @Test
    void underHpfTheSameQueueWaitsBehindTheBusyHigherPriorityQueue() {
        assertThat(laxJob(new HpfPolicy())).as("B (priority 0) never runs while A (10) is busy").isEmpty();
    }
}
