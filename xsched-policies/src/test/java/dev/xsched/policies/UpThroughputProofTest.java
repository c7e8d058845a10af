package dev.xsched.policies;

import dev.xsched.core.XQueue;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.hip.Event;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.xsched.policies.SimRig.MS;
import static dev.xsched.policies.SimRig.US;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where {@code xsched bench policies}' partition loses throughput under UP (and CFS), on the
 * simulated GPU in virtual time: each job keeps its XQueue busy as the benchmark does, with chunks
 * of two device-wide 1 ms kernels and an event recorded after each chunk. The scheduler sees a
 * completion only at its next look (every 50 us here, about what waking on a completion costs on
 * the H200), and a kernel reaches its first block 3 us after it reaches the head of its stream.
 *
 * <p>A record is a command: it counts against the in-flight threshold like a kernel. At threshold 2
 * the queue holds [kernel, record] in flight after every chunk's first kernel completes, so when
 * that kernel ends nothing of the job waits on the device, which idles until the completion is
 * seen and the next kernel released: one gap per chunk, whoever owns the turn. At threshold 3 the
 * next kernel is always queued behind the running one, and a turn's tail is still at most two
 * kernels. The turns themselves cost nothing measurable: UP resumes the next queue when it
 * suspends the previous one, whose work in flight then runs on under the next one's. Where both
 * queues run at once (fifo, or native streams) one queue's gaps are filled by the other's kernels,
 * which is why only the policies that run one queue at a time lost throughput.
 */
class UpThroughputProofTest {
    private static final long STEP = 50 * US;
    private static final long FROM = 50 * MS;
    private static final long TO = 550 * MS;

    /** The device's busy fraction in [FROM, TO), and the first job's share of it. */
    private static double[] busy(Policy policy, int threshold) {
        List<Event> events = new ArrayList<>();
        try (SimRig rig = new SimRig(policy, 4, false, 3 * US, STEP, "a", "b")) {
            List<XQueue> queues = List.of(rig.queue("a", threshold, 1, new Hint.Utilization(75)),
                    rig.queue("b", threshold, 1, new Hint.Utilization(25)));
            for (XQueue queue : queues) {
                Event event = rig.gpu.createEvent();
                events.add(event);
                // As the benchmark: at most three chunks (two kernels and a record each) not yet complete.
                rig.everyStep(() -> {
                    while (queue.stats().buffered() + queue.stats().inFlight() < 3 * 3) {
                        rig.launch(queue, queue.name(), 4, MS);
                        rig.launch(queue, queue.name(), 4, MS);
                        queue.record(event);
                    }
                });
            }
            rig.runUntil(TO);
            double a = rig.slotNanos(queues.get(0), FROM, TO);
            double b = rig.slotNanos(queues.get(1), FROM, TO);
            return new double[] {(a + b) / (4.0 * (TO - FROM)), a / (a + b)};
        } finally {
            events.forEach(Event::close); // after the rig closed the queues that record them
        }
    }

    @Test
    void aRecordAfterEveryTwoKernelsLeavesAGapPerChunkAtThresholdTwoAndNoneAtThree() {
        double[] up2 = busy(new UpPolicy(), 2);
        double[] up3 = busy(new UpPolicy(), 3);
        double[] fifo2 = busy(new FifoPolicy(), 2);
        double[] fifo3 = busy(new FifoPolicy(), 3);
        System.out.printf("device busy, chunks of 2 x 1 ms kernels + a record: up threshold 2 %.4f (A %.3f), threshold 3 "
                + "%.4f (A %.3f); fifo threshold 2 %.4f, threshold 3 %.4f%n", up2[0], up2[1], up3[0], up3[1], fifo2[0], fifo3[0]);
        assertThat(up3[0]).as("threshold 3: the turns cost nothing measurable").isGreaterThan(0.995);
        assertThat(up2[0]).as("threshold 2: a gap per chunk").isLessThan(up3[0] - 0.005);
        // Where both queues run at once (fifo, native streams), one fills the other's gaps.
        assertThat(fifo2[0]).isGreaterThan(0.995);
        assertThat(up3[1]).isBetween(0.72, 0.78);
    }
}
