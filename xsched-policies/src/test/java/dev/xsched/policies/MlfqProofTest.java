package dev.xsched.policies;

import dev.xsched.core.XQueue;
import dev.xsched.core.policy.Policy;
import dev.xsched.hip.sim.KernelRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.xsched.policies.SimRig.MS;
import static dev.xsched.policies.SimRig.US;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MLFQ on the simulated GPU: two long jobs of 100 ms (200 device-wide kernels of 0.5 ms, threshold
 * 4) arrive at 0; short jobs of 5 ms (10 such kernels) arrive on a third queue at 50, 90, 130 and
 * 170 ms. Nobody told the policy which is which.
 */
class MlfqProofTest {
    private static final long STEP = 20 * US;
    private static final long[] SHORT_ARRIVALS = {50 * MS, 90 * MS, 130 * MS, 170 * MS};

    record Outcome(List<Long> shortResponses, long shortLastEnd, long longFirstEnd) {
    }

    private static Outcome run(Policy policy) {
        try (SimRig rig = new SimRig(policy, 4, false, STEP, "long", "short")) {
            XQueue long1 = rig.queue("long-1", 4, 2);
            XQueue long2 = rig.queue("long-2", 4, 2);
            XQueue shortJobs = rig.queue("short", 4, 2);
            for (XQueue q : List.of(long1, long2)) {
                for (int k = 0; k < 200; k++) {
                    rig.launch(q, "long", 4, 500 * US);
                }
            }
            for (long at : SHORT_ARRIVALS) {
                rig.at(at, () -> {
                    for (int k = 0; k < 10; k++) {
                        rig.launch(shortJobs, "short", 4, 500 * US);
                    }
                });
            }
            rig.runUntil(() -> long1.isIdle() && long2.isIdle() && shortJobs.isIdle(), 400 * MS);
            List<KernelRecord> shorts = rig.kernels(shortJobs);
            List<Long> responses = new ArrayList<>();
            for (int job = 0; job < SHORT_ARRIVALS.length; job++) {
                responses.add(shorts.get(job * 10 + 9).endNanos() - SHORT_ARRIVALS[job]);
            }
            long longFirstEnd = Math.min(rig.kernels(long1).getLast().endNanos(), rig.kernels(long2).getLast().endNanos());
            return new Outcome(responses, shorts.getLast().endNanos(), longFirstEnd);
        }
    }

    @Test
    void shortJobsFinishBeforeLongOnesThatArrivedEarlierAndAreBarelySlowedByThem() {
        Outcome mlfq = run(new MlfqPolicy());
        Outcome fifo = run(new FifoPolicy());
        System.out.printf("mlfq: short job responses %s ms (5 ms of work); long jobs end from %.1f ms%n",
                mlfq.shortResponses().stream().map(r -> String.format("%.2f", r / 1e6)).toList(), mlfq.longFirstEnd() / 1e6);
        System.out.printf("fifo: short job responses %s ms; long jobs end from %.1f ms%n",
                fifo.shortResponses().stream().map(r -> String.format("%.2f", r / 1e6)).toList(), fifo.longFirstEnd() / 1e6);
        assertThat(mlfq.shortLastEnd()).isLessThan(mlfq.longFirstEnd());
        // Own work + the in-flight kernels of the long queue running when it arrives (4 x 0.5 ms) + a tail of the other.
        assertThat(mlfq.shortResponses()).allMatch(r -> r <= 5 * MS + 2 * 2 * MS + STEP);
        assertThat(fifo.shortResponses()).allMatch(r -> r > 5 * MS + 2 * 2 * MS + STEP, "fifo shares the device three ways");
    }
}
