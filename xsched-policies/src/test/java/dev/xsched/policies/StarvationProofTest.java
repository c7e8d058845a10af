package dev.xsched.policies;

import dev.xsched.core.XQueue;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policies;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.xsched.policies.SimRig.MS;
import static dev.xsched.policies.SimRig.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * No policy leaves work undone: for random scenarios (4 queues with random hints of every kind,
 * 1-3 jobs each arriving in the first 50 ms, 5-30 kernels of 1-4 blocks of 50 us..1 ms on a
 * 4-unit device), every policy completes every queue's work within the time a work-conserving
 * device needs to run it serially (the busy-period bound: max over arrivals t of t + the work arriving from t on),
 * plus 5% and 2 ms for scheduling (20 us steps). Policies may starve a queue
 * while others stay busy (HPF, KEDF without deadlines: documented), but not when work is finite:
 * every policy keeps the device busy while any queue has work.
 */
class StarvationProofTest {
    private static final List<String> POLICIES = List.of("fifo", "hpf", "kedf", "lax", "up", "cfs", "mlfq");

    @Test
    void everyPolicyCompletesEveryQueuesWorkWithinTheSerialBound() {
        qt().withExamples(40).forAll(longs().all()).checkAssert(seed -> {
            for (String policy : POLICIES) {
                scenario(policy, seed);
            }
        });
    }

    private static void scenario(String policy, long seed) {
        Random random = new Random(seed);
        try (SimRig rig = new SimRig(Policies.create(policy, Map.of()), 4, false, 20 * US, "k")) {
            List<XQueue> queues = new ArrayList<>();
            List<long[]> jobsArrivingWithWork = new ArrayList<>();
            long lastArrival = 0;
            for (int i = 0; i < 4; i++) {
                XQueue queue = rig.queue("q" + i, 1 + random.nextInt(8), 1, randomHints(random));
                queues.add(queue);
                int jobs = 1 + random.nextInt(3);
                for (int j = 0; j < jobs; j++) {
                    long at = random.nextInt(50) * MS + random.nextInt(1000) * US;
                    lastArrival = Math.max(lastArrival, at);
                    int kernels = 5 + random.nextInt(26);
                    int blocks = 1 + random.nextInt(4);
                    long block = (50 + random.nextInt(951)) * US;
                    jobsArrivingWithWork.add(new long[] {at, kernels * block});
                    rig.at(at, () -> {
                        for (int k = 0; k < kernels; k++) {
                            rig.launch(queue, "k", blocks, block);
                        }
                    });
                }
            }
            // Busy-period bound of a work-conserving device: the last busy period starts at some
            // arrival t and holds at most the work arriving from t on, run serially.
            long bound = 0;
            for (long[] job : jobsArrivingWithWork) {
                long later = jobsArrivingWithWork.stream().filter(o -> o[0] >= job[0]).mapToLong(o -> o[1]).sum();
                bound = Math.max(bound, job[0] + later + later / 20 + 2 * MS);
            }
            rig.runUntil(lastArrival);
            rig.runUntil(() -> queues.stream().allMatch(XQueue::isIdle), bound);
            for (XQueue queue : queues) {
                assertThat(rig.kernels(queue)).as(policy + " seed " + seed + " " + queue.name())
                        .hasSize((int) queue.stats().submitted());
            }
        }
    }

    private static final long CFS_SLICE = 5 * MS;

    /** The weight CFS gives a queue with these hints (its documented rule). */
    private static double cfsWeight(Hint[] hints) {
        Integer priority = null;
        for (Hint hint : hints) {
            if (hint instanceof Hint.Weight w) {
                return w.value();
            }
            if (hint instanceof Hint.Priority pr) {
                priority = pr.value();
            }
        }
        return CfsPolicy.NICE_0_WEIGHT * Math.pow(1.2, priority == null ? 0 : priority);
    }

    private static Hint[] randomHints(Random random) {
        List<Hint> hints = new ArrayList<>();
        if (random.nextBoolean()) {
            hints.add(new Hint.Priority(random.nextInt(21) - 10));
        }
        if (random.nextBoolean()) {
            hints.add(new Hint.Deadline((1 + random.nextInt(50)) * MS));
        }
        if (random.nextBoolean()) {
            hints.add(new Hint.Utilization(1 + random.nextInt(100)));
        }
        if (random.nextBoolean()) {
            hints.add(new Hint.Weight(1 + random.nextInt(4096)));
        }
        if (random.nextBoolean()) {
            hints.add(new Hint.Laxity(random.nextInt(20) * MS, random.nextInt(21) - 10, random.nextInt(21) - 10));
        }
        if (random.nextInt(4) == 0) {
            hints.add(new Hint.Timeslice((1 + random.nextInt(10)) * MS));
        }
        return hints.toArray(Hint[]::new);
    }

    /**
     * The sharing policies (and fifo) starve nobody even when every queue is always busy: with 3
     * always-busy queues and random hints, each queue completes kernels in every 250 ms window of
     * 2 simulated seconds (MLFQ's bottom level has 80 ms slices; its boost is every second).
     */
    @Test
    void sharingPoliciesServeEveryAlwaysBusyQueueInEveryWindow() {
        // Seed 33 (weights 6340, 343, 6340) once failed a fixed 250 ms window under cfs: kept as a regression case.
        sharingScenario(33L);
        qt().withExamples(5).forAll(longs().all()).checkAssert(StarvationProofTest::sharingScenario);
    }

    private static void sharingScenario(long seed) {
        {
            for (String policy : List.of("fifo", "up", "cfs", "mlfq")) {
                Random random = new Random(seed);
                try (SimRig rig = new SimRig(Policies.create(policy, Map.of()), 4, false, 25 * US, "k")) {
                    List<XQueue> queues = new ArrayList<>();
                    double weightSum = 0;
                    double minWeight = Double.MAX_VALUE;
                    for (int i = 0; i < 3; i++) {
                        int threshold = 1 + random.nextInt(8);
                        Hint[] hints = randomHints(random);
                        double weight = cfsWeight(hints);
                        weightSum += weight;
                        minWeight = Math.min(minWeight, weight);
                        XQueue queue = rig.queue("q" + i, threshold, 1, hints);
                        rig.keepBusy(queue, "k", 1 + random.nextInt(4), (50 + random.nextInt(951)) * US, 4);
                        queues.add(queue);
                    }
                    // Fair sharing serves a queue one slice per (sum of weights / its weight) slices:
                    // with very unequal weights that is longer than 250 ms. Three such periods (tails
                    // of the other queues included) bound the wait of the lightest queue.
                    long window = policy.equals("cfs")
                            ? Math.max(250 * MS, (long) Math.ceil(3 * CFS_SLICE * weightSum / minWeight)) : 250 * MS;
                    rig.runUntil(2_000 * MS);
                    for (XQueue queue : queues) {
                        for (long from = 0; from + window <= 2_000 * MS; from += window) {
                            long start = from;
                            long end = from + window;
                            assertThat(rig.kernels(queue)).as(policy + " seed " + seed + " " + queue.name() + " in [" + from / MS
                                            + " ms, +" + window / MS + " ms)")
                                    .anyMatch(r -> r.endNanos() >= start && r.endNanos() < end);
                        }
                    }
                }
            }
        }
    }
}
