package dev.xsched.policies;

import dev.xsched.core.SliceSizer;
import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.sim.KernelRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.xsched.policies.SimRig.MS;
import static dev.xsched.policies.SimRig.US;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sliced launches on the simulated GPU in virtual time (4 block slots, no hardware priority:
 * launch gating alone, the scheduler reacting every 20 us). The low-priority queue is always busy
 * with kernels of 20 waves of 2 ms blocks (40 ms each); a high-priority queue submits a one-block
 * kernel now and then under HPF. Waits come from the simulator's records.
 */
class SlicedPreemptionProofTest {
    private static final long STEP = 20 * US;
    private static final int SLOTS = 4;
    private static final long BLOCK = 2 * MS;
    private static final int LP_GRID = 20 * SLOTS;
    private static final long LP_KERNEL = 20 * BLOCK;

    private record Result(long maxWait, double lpUtilisation) {
    }

    /**
     * @param blocksPerSlice 0 for unsliced launches
     */
    private static Result run(int lpThreshold, int blocksPerSlice, long commandLatency, boolean withHp) {
        try (SimRig rig = new SimRig(new HpfPolicy(), SLOTS, false, commandLatency, STEP, "lp", "hp")) {
            XQueue lp = rig.queue("lp", lpThreshold, Math.max(1, lpThreshold / 2), new Hint.Priority(-1));
            // Always two kernels' worth of commands buffered.
            int commandsPerKernel = blocksPerSlice == 0 ? 1 : (LP_GRID + blocksPerSlice - 1) / blocksPerSlice;
            rig.everyStep(() -> {
                while (lp.stats().buffered() < 2 * commandsPerKernel) {
                    if (blocksPerSlice == 0) {
                        rig.launch(lp, "lp", LP_GRID, BLOCK);
                    } else {
                        rig.launchSliced(lp, "lp", LP_GRID, BLOCK, blocksPerSlice);
                    }
                }
            });
            XQueue hp = rig.queue("hp", 16, 8, new Hint.Priority(10));
            List<Long> submits = new ArrayList<>();
            if (withHp) {
                for (int i = 0; i < 10; i++) {
                    long at = 400 * MS + i * 97_300 * US + i * 37 * US; // odd phases of the LP kernels and slices
                    submits.add(at);
                    rig.at(at, () -> rig.launch(hp, "hp", 1, 100 * US));
                }
            }
            long from = 100 * MS;
            long to = 1_400 * MS;
            rig.runUntil(to);
            long max = 0;
            if (withHp) {
                List<KernelRecord> records = rig.kernels(hp);
                assertThat(records).hasSize(10);
                for (int i = 0; i < 10; i++) {
                    max = Math.max(max, records.get(i).startNanos() - submits.get(i));
                }
            }
            double utilisation = rig.slotNanos(lp, from, to) / (double) (SLOTS * (to - from));
            return new Result(max, utilisation);
        }
    }

    @Test
    void slicingBoundsTheHighPriorityWaitBySlicesInFlightNotKernels() {
        Result unsliced = run(8, 0, 0, true);
        int k = new SliceSizer(SliceSizer.DEFAULT_TARGET, SLOTS, 2).blocksPerSlice(LP_KERNEL, LP_GRID);
        assertThat(k).isEqualTo(SLOTS); // blocks of 2 ms are over any 200 us budget: one wave per slice
        Result sliced8 = run(8, k, 0, true);
        Result sliced2 = run(2, k, 0, true);
        Result sliced1 = run(1, k, 0, true);
        System.out.printf("gating alone, LP 40 ms kernels of 2 ms blocks: max HP wait unsliced (threshold 8) %.2f ms;"
                        + " sliced K=%d: threshold 8 %.2f ms, threshold 2 %.2f ms, threshold 1 %.2f ms%n",
                unsliced.maxWait() / 1e6, k, sliced8.maxWait() / 1e6, sliced2.maxWait() / 1e6, sliced1.maxWait() / 1e6);
        // Unsliced: several whole LP kernels are in flight when HP arrives.
        assertThat(unsliced.maxWait()).isGreaterThan(2 * LP_KERNEL).isLessThanOrEqualTo(8 * LP_KERNEL + STEP);
        // Sliced: the wait is bounded by the slices in flight (threshold x one 2 ms wave), plus the reaction step.
        assertThat(sliced8.maxWait()).isLessThanOrEqualTo(8 * BLOCK + STEP);
        assertThat(sliced2.maxWait()).isLessThanOrEqualTo(2 * BLOCK + STEP);
        assertThat(sliced1.maxWait()).isLessThanOrEqualTo(BLOCK + STEP);
    }

    @Test
    void slicingCostsNoThroughputWithoutLaunchLatencyAndLittleWithIt() {
        double unsliced = run(8, 0, 0, false).lpUtilisation();
        double sliced = run(2, SLOTS, 0, false).lpUtilisation();
        double unslicedLatency = run(8, 0, 10 * US, false).lpUtilisation();
        double slicedLatency = run(2, SLOTS, 10 * US, false).lpUtilisation();
        System.out.printf("LP slot utilisation: unsliced %.4f, sliced K=%d %.4f; with 10 us per-launch latency:"
                        + " unsliced %.4f, sliced %.4f (loss %.2f%%)%n",
                unsliced, SLOTS, sliced, unslicedLatency, slicedLatency, 100 * (unslicedLatency - slicedLatency) / unslicedLatency);
        assertThat(unsliced).isGreaterThan(0.999);
        assertThat(sliced).isGreaterThan(0.999);
        // Each 2 ms slice pays the 10 us latency once: about 0.5%.
        assertThat(slicedLatency).isBetween(unslicedLatency - 0.01, unslicedLatency);
    }
}
