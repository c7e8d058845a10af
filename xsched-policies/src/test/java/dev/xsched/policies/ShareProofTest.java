package dev.xsched.policies;

import dev.xsched.core.XQueue;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import org.junit.jupiter.api.Test;

import static dev.xsched.policies.SimRig.MS;
import static dev.xsched.policies.SimRig.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Bandwidth sharing on the simulated GPU: two always-busy queues of device-wide 250 us kernels
 * (threshold 4), one simulated second, the scheduler reacting every 25 us. A queue's share is the
 * block-slot time its kernels occupied in [100 ms, 1 s), from the simulator's block dispatches.
 */
class ShareProofTest {
    private static final long STEP = 25 * US;
    private static final long FROM = 100 * MS;
    private static final long TO = 1_000 * MS;

    /** The share of device time of the first queue and of the second, in [0, 1]. */
    private static double[] shares(Policy policy, Hint a, Hint b) {
        return shares(policy, a, b, 250 * US, 250 * US);
    }

    private static double[] shares(Policy policy, Hint a, Hint b, long aBlock, long bBlock) {
        try (SimRig rig = new SimRig(policy, 4, false, STEP, "a", "b")) {
            XQueue qa = rig.queue("a", 4, 2, a);
            XQueue qb = rig.queue("b", 4, 2, b);
            rig.keepBusy(qa, "a", 4, aBlock, 4);
            rig.keepBusy(qb, "b", 4, bBlock, 4);
            rig.runUntil(TO);
            double total = 4.0 * (TO - FROM); // 4 slots
            return new double[] {rig.slotNanos(qa, FROM, TO) / total, rig.slotNanos(qb, FROM, TO) / total};
        }
    }

    @Test
    void utilizationPartition75To25IsWithinThreePointsOfTheTarget() {
        double[] up = shares(new UpPolicy(), new Hint.Utilization(75), new Hint.Utilization(25));
        double[] fifo = shares(new FifoPolicy(), new Hint.Utilization(75), new Hint.Utilization(25));
        System.out.printf("up 75/25: %.3f / %.3f of device time (fifo: %.3f / %.3f)%n", up[0], up[1], fifo[0], fifo[1]);
        assertThat(up[0]).isCloseTo(0.75, within(0.03));
        assertThat(up[1]).isCloseTo(0.25, within(0.03));
        assertThat(fifo[0]).isCloseTo(0.5, within(0.03)); // without a policy: whoever submits
    }

    @Test
    void cfsWithEqualWeightsSharesEquallyWithinFivePercent() {
        double[] cfs = shares(new CfsPolicy(), new Hint.Weight(1024), new Hint.Priority(0));
        System.out.printf("cfs 1:1: %.3f / %.3f of device time%n", cfs[0], cfs[1]);
        assertThat(Math.abs(cfs[0] - cfs[1]) / Math.max(cfs[0], cfs[1])).isLessThanOrEqualTo(0.05);
        assertThat(cfs[0] + cfs[1]).isGreaterThan(0.97); // and the device stays busy
    }

    @Test
    void cfsWithWeightsTwoToOneSharesTwoToOne() {
        double[] cfs = shares(new CfsPolicy(), new Hint.Weight(2048), new Hint.Weight(1024));
        double[] byPriority = shares(new CfsPolicy(), new Hint.Priority(4), new Hint.Priority(0)); // 1.2^4 = 2.07
        System.out.printf("cfs 2:1 by weight: %.3f / %.3f (ratio %.2f); by priority 4 vs 0: ratio %.2f (1.2^4 = 2.07)%n",
                cfs[0], cfs[1], cfs[0] / cfs[1], byPriority[0] / byPriority[1]);
        assertThat(cfs[0] / cfs[1]).isCloseTo(2.0, within(0.1));
        assertThat(byPriority[0] / byPriority[1]).isCloseTo(Math.pow(1.2, 4), within(0.1));
    }

    @Test
    void sharesHoldWhenOneQueuesKernelsAreTenTimesLongerThanTheOthers() {
        // a: 1 ms kernels (a 4 ms tail after each turn), b: 100 us kernels.
        double[] up = shares(new UpPolicy(), new Hint.Utilization(75), new Hint.Utilization(25), MS, 100 * US);
        double[] upReversed = shares(new UpPolicy(), new Hint.Utilization(25), new Hint.Utilization(75), MS, 100 * US);
        double[] cfs = shares(new CfsPolicy(), new Hint.Weight(1024), new Hint.Weight(1024), MS, 100 * US);
        double[] fifo = shares(new FifoPolicy(), new Hint.Weight(1024), new Hint.Weight(1024), MS, 100 * US);
        System.out.printf("1 ms vs 100 us kernels: up 75/25 %.3f / %.3f, up 25/75 %.3f / %.3f, cfs 1:1 %.3f / %.3f, fifo %.3f / %.3f%n",
                up[0], up[1], upReversed[0], upReversed[1], cfs[0], cfs[1], fifo[0], fifo[1]);
        assertThat(up[0]).isCloseTo(0.75, within(0.03));
        assertThat(upReversed[0]).isCloseTo(0.25, within(0.03));
        assertThat(cfs[0]).isCloseTo(0.5, within(0.025));
    }
}
