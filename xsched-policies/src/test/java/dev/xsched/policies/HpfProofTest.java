package dev.xsched.policies;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
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
 * HPF on the simulated GPU (4 compute units, virtual time, the scheduler reacting every 20 us): a
 * low-priority queue is always busy; a high-priority queue submits now and then. Waits are
 * measured from the high-priority submit to its kernel's first block (the simulator's record).
 */
class HpfProofTest {
    private static final long STEP = 20 * US;
    private static final int LP_THRESHOLD = 8;

    /** Max wait of 10 one-kernel high-priority jobs behind an always-busy low-priority queue. */
    private static long maxHighPriorityWait(Policy policy, boolean hardwarePriority, boolean hpOnHighStream,
                                            int lpBlocks, long lpBlockNanos) {
        try (SimRig rig = new SimRig(policy, 4, hardwarePriority, STEP, "lp", "hp")) {
            XQueue lp = rig.queue("lp", LP_THRESHOLD, 4, new Hint.Priority(-1));
            rig.keepBusy(lp, "lp", lpBlocks, lpBlockNanos, 4);
            XQueueConfig config = XQueueConfig.defaults("hp");
            XQueue hp = hpOnHighStream
                    ? rig.register(HardwarePriorities.createQueue(rig.scheduler, rig.gpu, 10, config))
                    : rig.queue("hp", config.threshold(), config.batchSize(), new Hint.Priority(10));
            List<Long> submits = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long at = 20 * MS + i * 23_700 * US + i * 37 * US; // arrivals at odd phases of the LP kernels
                submits.add(at);
                rig.at(at, () -> rig.launch(hp, "hp", 1, 100 * US));
            }
            rig.runUntil(submits.getLast() + 40 * MS);
            List<KernelRecord> records = rig.kernels(hp);
            assertThat(records).hasSize(10);
            long max = 0;
            for (int i = 0; i < 10; i++) {
                assertThat(records.get(i).submitNanos()).isEqualTo(submits.get(i)); // released at once
                max = Math.max(max, records.get(i).startNanos() - submits.get(i));
            }
            return max;
        }
    }

    @Test
    void levelOnePreemptionBoundsTheHighPriorityWaitByThresholdLowPriorityCommands() {
        long command = 1 * MS; // 4 blocks of 1 ms on 4 units: each LP kernel holds the whole device 1 ms
        long wait = maxHighPriorityWait(new HpfPolicy(), false, false, 4, 1 * MS);
        System.out.printf("hpf, no hardware priority: max HP wait %.3f ms (bound %d x %.1f ms)%n", wait / 1e6, LP_THRESHOLD, command / 1e6);
        assertThat(wait).isLessThanOrEqualTo(LP_THRESHOLD * command + STEP);
    }

    @Test
    void withAMatchingHardwarePriorityTheWaitIsAboutOneLowPriorityBlock() {
        // 8 blocks of 1 ms per LP kernel (2 ms on 4 units): threshold x command = 16 ms, one block = 1 ms.
        long withHw = maxHighPriorityWait(new HpfPolicy(), true, true, 8, 1 * MS);
        long sameStreamPriority = maxHighPriorityWait(new HpfPolicy(), true, false, 8, 1 * MS);
        System.out.printf("hpf, hardware priority on: max HP wait %.3f ms on a high-priority stream, %.3f ms on a default one%n",
                withHw / 1e6, sameStreamPriority / 1e6);
        assertThat(withHw).isLessThanOrEqualTo(1 * MS + STEP);
        assertThat(sameStreamPriority).isGreaterThan(4 * MS); // launch gating alone waits for in-flight kernels
    }

    /** Latency of 5 multi-kernel high-priority jobs (24 device-wide kernels of 250 us each: 6 ms of work). */
    private static List<Long> jobLatencies(Policy policy) {
        try (SimRig rig = new SimRig(policy, 4, false, STEP, "lp", "hp")) {
            XQueue lp = rig.queue("lp", LP_THRESHOLD, 4, new Hint.Priority(-1));
            rig.keepBusy(lp, "lp", 4, 1 * MS, 4);
            XQueue hp = rig.queue("hp", 16, 8, new Hint.Priority(10));
            List<Long> arrivals = new ArrayList<>();
            for (int job = 0; job < 5; job++) {
                long at = 10 * MS + job * 40 * MS + job * 113 * US;
                arrivals.add(at);
                rig.at(at, () -> {
                    for (int k = 0; k < 24; k++) {
                        rig.launch(hp, "hp", 4, 250 * US);
                    }
                });
            }
            rig.runUntil(arrivals.getLast() + 60 * MS);
            List<KernelRecord> records = rig.kernels(hp);
            assertThat(records).hasSize(5 * 24);
            List<Long> latencies = new ArrayList<>();
            for (int job = 0; job < 5; job++) {
                latencies.add(records.get(job * 24 + 23).endNanos() - arrivals.get(job));
            }
            return latencies;
        }
    }

    @Test
    void aMultiKernelHighPriorityJobIsNotInterleavedWithLowPriorityWork() {
        long work = 24 * 250 * US;
        List<Long> hpf = jobLatencies(new HpfPolicy());
        List<Long> fifo = jobLatencies(new FifoPolicy());
        System.out.printf("HP job latency (6 ms of work): hpf max %.3f ms, fifo max %.3f ms%n",
                hpf.stream().mapToLong(Long::longValue).max().orElseThrow() / 1e6,
                fifo.stream().mapToLong(Long::longValue).max().orElseThrow() / 1e6);
        assertThat(hpf).allMatch(l -> l <= LP_THRESHOLD * MS + work + STEP, "within threshold x LP command + own work");
        assertThat(fifo).allMatch(l -> l > LP_THRESHOLD * MS + work + STEP, "fifo lets LP interleave");
    }

    @Test
    void aGatedProducerIsLentTheWaitersPriorityInsteadOfHoldingItsRecordBehindTheGate() {
        try (SimRig rig = new SimRig(new HpfPolicy(), 4, false, STEP, "lp", "hp")) {
            XQueue lp = rig.register(rig.scheduler.createQueue(rig.gpu, new XQueueConfig("lp", 8, 1).withDeviceGate(true)),
                    new Hint.Priority(-10));
            XQueue hp = rig.queue("hp", 4, 1, new Hint.Priority(10));
            var produced = rig.gpu.createEvent();
            rig.at(10 * MS, () -> {
                for (int k = 0; k < 4; k++) {
                    rig.launch(lp, "lp", 4, 1 * MS); // each holds the device 1 ms
                }
                lp.record(produced); // held until the gated kernels before it completed
            });
            // HP work suspends lp: its three kernels not started wait behind the gate. Then hp waits
            // for lp's record. Had the record been released behind the gate, hp's wait would go to
            // its stream and wait there forever (lp stays suspended while hp has work); held in lp's
            // buffer, hp is blocked on lp, and hpf lends lp hp's priority.
            rig.at(10 * MS + 500 * US, () -> {
                rig.launch(hp, "hp", 1, 100 * US);
                hp.waitFor(produced);
                rig.launch(hp, "hp", 1, 100 * US);
            });
            rig.runUntil(40 * MS);
            List<KernelRecord> online = rig.kernels(hp);
            assertThat(online).as("the second HP kernel ran: no deadlock").hasSize(2);
            List<KernelRecord> producer = rig.kernels(lp);
            assertThat(producer).hasSize(4);
            assertThat(online.get(1).startNanos()).as("after the record, behind lp's last kernel")
                    .isGreaterThanOrEqualTo(producer.getLast().endNanos());
            // lp's four 1 ms kernels and hp's two of 100 us, from 10 ms, and the scheduler's steps.
            assertThat(online.get(1).endNanos()).isLessThanOrEqualTo(10 * MS + 4 * MS + 200 * US + 4 * STEP);
            produced.close();
        }
    }

    @Test
    void aLowPriorityProducerThatAHighPriorityQueueWaitsForRunsAtTheWaitersPriority() {
        try (SimRig rig = new SimRig(new HpfPolicy(), 4, false, STEP, "mid", "lp", "hp")) {
            XQueue mid = rig.queue("mid", 4, 2, new Hint.Priority(0));
            rig.keepBusy(mid, "mid", 4, 500 * US, 4);
            XQueue lp = rig.queue("lp", 4, 2, new Hint.Priority(-10));
            XQueue hp = rig.queue("hp", 4, 2, new Hint.Priority(10));
            var produced = rig.gpu.createEvent();
            rig.at(10 * MS, () -> {
                for (int k = 0; k < 4; k++) {
                    rig.launch(lp, "lp", 4, 250 * US);
                }
                lp.record(produced);
                hp.waitFor(produced);
                rig.launch(hp, "hp", 1, 100 * US);
            });
            rig.runUntil(40 * MS);
            long end = rig.kernels(hp).getFirst().endNanos();
            System.out.printf("hpf lending: HP waiting on LP's event behind a busy middle priority finished at %.3f ms%n", end / 1e6);
            // mid's in-flight (4 x 0.5 ms) + lp's 4 x 250 us + hp's 100 us, from 10 ms.
            assertThat(end).isLessThanOrEqualTo(10 * MS + 2 * MS + 1 * MS + 100 * US + 2 * STEP);
            produced.close();
        }
    }
}
