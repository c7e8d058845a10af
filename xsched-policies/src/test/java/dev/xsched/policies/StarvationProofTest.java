package dev.xsched.policies;

import dev.xsched.core.XQueue;
import dev.xsched.core.policy.Hint;
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
        qt().withExamples(40).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> { // a seed does not shrink
            for (String policy : POLICIES) {
                scenario(policy, seed);
            }
        });
    }

    private static void scenario(String policy, long seed) {
        Random random = new Random(seed);
        try (SimRig rig = new SimRig(Decisions.create(policy, Map.of()), 4, false, 20 * US, "k")) {
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
        return CfsPolicy.priorityWeight(priority == null ? 0 : priority);
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
     * UP's bound on the gap between two services of a queue: a queue owing device time for its
     * tails skips its turns until it has paid one share per skipped turn, so it waits up to
     * (tail / share + 2) rounds, a round being every queue's share and tail. With a share of a few
     * tens of microseconds (1% utilization, or a 1 ms timeslice) and a tail of several 1 ms
     * kernels that is about a second: the service comes in bursts, the long-run share still holds.
     *
     * @param thresholds each queue's threshold (its tail is at most that many kernels)
     * @param kernels    each queue's kernel length in ns (one wave: its blocks fit the device)
     * @param hints      each queue's hints
     */
    static long upGapBound(int[] thresholds, long[] kernels, List<Hint[]> hints) {
        double utilizationSum = 0;
        for (Hint[] h : hints) {
            utilizationSum += upUtilization(h);
        }
        long[] shares = new long[hints.size()];
        long round = 0;
        for (int i = 0; i < shares.length; i++) {
            long timeslice = UpPolicy.DEFAULT_TIMESLICE_NANOS;
            for (Hint hint : hints.get(i)) {
                if (hint instanceof Hint.Timeslice t) {
                    timeslice = t.nanos();
                }
            }
            shares[i] = Math.max(1, Math.round(timeslice * upUtilization(hints.get(i)) / utilizationSum));
            round += shares[i] + thresholds[i] * kernels[i];
        }
        long worst = 0;
        for (int i = 0; i < shares.length; i++) {
            long tail = thresholds[i] * kernels[i];
            worst = Math.max(worst, (tail / shares[i] + 2) * round);
        }
        return worst;
    }

    private static double upUtilization(Hint[] hints) {
        for (Hint hint : hints) {
            if (hint instanceof Hint.Utilization u) {
                return u.percent();
            }
        }
        return UpPolicy.DEFAULT_UTILIZATION;
    }

    /**
     * The sharing policies (and fifo) starve nobody even when every queue is always busy: with 3
     * always-busy queues and random hints, each queue completes kernels in every 250 ms window of
     * 2 simulated seconds (MLFQ's bottom level has 80 ms slices; its boost is every second), or,
     * where the policy's own bound is longer (cfs with very unequal weights, up with a tiny share
     * and long tails: {@link #upGapBound}), in every window of twice that bound, over a run long
     * enough to hold two of them (at most 40 simulated seconds).
     */
    @Test
    void sharingPoliciesServeEveryAlwaysBusyQueueInEveryWindow() {
        // Seed 33 (weights 6340, 343, 6340) once failed a fixed 250 ms window under cfs: kept as a regression case.
        sharingScenario(33L);
        // A queue with 1% utilization and 4 kernels of 0.84 ms in flight waited 351 ms under up
        // (upGapBound), which a fixed 250 ms window took for starvation.
        sharingScenario(-4601132630005398663L);
        // No shrinking: a smaller seed is an unrelated scenario, and each try simulates four
        // policies for seconds (a CI run spent many minutes shrinking one failure).
        qt().withExamples(5).withShrinkCycles(0).forAll(longs().all()).checkAssert(StarvationProofTest::sharingScenario);
    }

    private static void sharingScenario(long seed) {
        {
            for (String policy : List.of("fifo", "up", "cfs", "mlfq")) {
                Random random = new Random(seed);
                try (SimRig rig = new SimRig(Decisions.create(policy, Map.of()), 4, false, 25 * US, "k")) {
                    List<XQueue> queues = new ArrayList<>();
                    double weightSum = 0;
                    double minWeight = Double.MAX_VALUE;
                    int[] thresholds = new int[3];
                    long[] kernels = new long[3];
                    List<Hint[]> allHints = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        int threshold = 1 + random.nextInt(8);
                        Hint[] hints = randomHints(random);
                        double weight = cfsWeight(hints);
                        weightSum += weight;
                        minWeight = Math.min(minWeight, weight);
                        XQueue queue = rig.queue("q" + i, threshold, 1, hints);
                        int blocks = 1 + random.nextInt(4); // drawn in this order, as before: seeds keep their scenarios
                        long blockNanos = (50 + random.nextInt(951)) * US;
                        rig.keepBusy(queue, "k", blocks, blockNanos, 4);
                        queues.add(queue);
                        thresholds[i] = threshold;
                        kernels[i] = blockNanos; // at most 4 blocks on 4 compute units: one wave
                        allHints.add(hints);
                    }
                    // Fair sharing serves a queue one slice per (sum of weights / its weight) slices:
                    // with very unequal weights that is longer than 250 ms. Three such periods (tails
                    // of the other queues included) bound the wait of the lightest queue.
                    long window = switch (policy) {
                        case "cfs" -> Math.max(250 * MS, (long) Math.ceil(3 * CFS_SLICE * weightSum / minWeight));
                        case "up" -> Math.max(250 * MS, 2 * upGapBound(thresholds, kernels, allHints));
                        default -> 250 * MS;
                    };
                    long run = Math.min(40_000 * MS, Math.max(2_000 * MS, 2 * window));
                    rig.runUntil(run);
                    for (XQueue queue : queues) {
                        for (long from = 0; from + window <= run; from += window) {
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
