package dev.xsched.policies;

import dev.xsched.core.policy.DecisionRound;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Every installed policy on random sequences of queue snapshots (random hints, ready flags, ready
 * times, work in flight, lending, removals): it never throws, it decides about every queue, it is work-conserving
 * on every device (whenever a queue of a device is ready, at least one ready queue of that device
 * runs: devices are scheduled independently), with nothing ready on a device all its queues run,
 * and its wake-ups lie in the future. QuickTheories prints the seed on failure.
 */
class PolicyPropertiesTest {
    private static final List<String> POLICIES = List.of("fifo", "hpf", "kedf", "lax", "up", "cfs", "mlfq");

    @Test
    void everyPolicyIsTotalAndWorkConservingOnRandomSnapshots() {
        qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            for (String name : POLICIES) {
                run(Decisions.create(name, Map.of()), new Random(seed), name + " seed " + seed);
            }
        });
    }

    private static void run(Policy policy, Random random, String what) {
        int queueCount = 1 + random.nextInt(5);
        Map<Long, Map<Class<? extends Hint>, Hint>> hints = new HashMap<>();
        Map<Long, Long> readySince = new HashMap<>();
        Map<Long, Integer> device = new HashMap<>();
        List<Long> ids = new ArrayList<>();
        long nextId = 1;
        for (int i = 0; i < queueCount; i++) {
            ids.add(nextId++);
        }
        long now = random.nextInt(1000);
        for (int step = 0; step < 60; step++) {
            now += random.nextInt(4) == 0 ? 0 : random.nextInt(20_000_000);
            if (random.nextInt(10) == 0 && ids.size() > 1) {
                long removed = ids.remove(random.nextInt(ids.size()));
                policy.onQueueRemoved(removed);
                hints.remove(removed);
                readySince.remove(removed);
            }
            if (random.nextInt(10) == 0) {
                ids.add(nextId++);
            }
            for (long id : ids) {
                if (random.nextInt(4) == 0) {
                    Hint hint = randomHint(random, now);
                    hints.computeIfAbsent(id, k -> new HashMap<>()).put(hint.getClass(), hint);
                    policy.onHint(id, hint, now);
                }
                if (random.nextInt(3) == 0) {
                    if (readySince.containsKey(id)) {
                        readySince.remove(id);
                    } else {
                        readySince.put(id, now);
                    }
                }
            }
            List<QueueStatus> queues = new ArrayList<>();
            for (long id : ids) {
                boolean ready = readySince.containsKey(id);
                Set<Long> lenders = Set.of();
                if (ready && random.nextInt(8) == 0) {
                    long waiter = ids.get(random.nextInt(ids.size()));
                    if (waiter != id && readySince.containsKey(waiter)) {
                        lenders = Set.of(waiter);
                    }
                }
                int dev = device.computeIfAbsent(id, k -> random.nextInt(3) == 0 ? 1 : 0);
                int inFlight = ready && random.nextBoolean() ? 1 + random.nextInt(4) : 0;
                queues.add(new QueueStatus(id, "q" + id, dev, ready, ready ? readySince.get(id) : -1, random.nextBoolean(),
                        ready ? 1 : 0, inFlight, 0, hints.getOrDefault(id, Map.of()), lenders));
            }
            DecisionRound d = Decisions.decide(policy, now, queues.toArray(QueueStatus[]::new));
            assertThat(d.decisions().keySet()).as(what).containsExactlyInAnyOrderElementsOf(ids);
            for (int dev = 0; dev < 2; dev++) {
                int devIndex = dev;
                List<Long> onDevice = queues.stream().filter(q -> q.deviceIndex() == devIndex).map(QueueStatus::id).toList();
                boolean anyReady = queues.stream().anyMatch(q -> q.deviceIndex() == devIndex && q.ready());
                if (anyReady) {
                    assertThat(d.runningReady()).as(what + ": work-conserving on device " + dev + " at step " + step)
                            .containsAnyElementsOf(queues.stream().filter(q -> q.deviceIndex() == devIndex && q.ready())
                                    .map(QueueStatus::id).toList());
                } else {
                    assertThat(d.running()).as(what + ": nothing ready on device " + dev + ", all its queues run")
                            .containsAll(onDevice);
                }
            }
            long t = now;
            assertThat(d.wakeUps()).as(what).allMatch(w -> w > t);
        }
    }

    private static final long MS = 1_000_000;
    private static final long SLICE = 4 * MS;
    private static final long MAX_TAIL = MS;
    private static final int MAX_QUEUES = 4;

    /**
     * UP and CFS on a model of queues with work in flight: a running ready queue always has 1-4
     * commands in flight; one that loses the device completes them within {@code MAX_TAIL}, with
     * no event (the policy polls for it); some queues are always busy, the others alternate busy
     * periods with idle gaps; now and then a queue is closed (the runner as often as another) and
     * a new one created. No ready queue waits longer than the policy's documented bound (queues
     * without hints: equal shares). A queue that took the device back while its own tail was open
     * once kept it as long as it stayed busy.
     *
     * <p>CFS's bound counts the other queues that ran while the queue waited, at least the
     * {@code MAX_QUEUES - 1} that can be there at once: a queue created meanwhile starts at the
     * least virtual runtime, so each newcomer may run before a waiting queue that is ahead of it
     * (seed 11405543145: four queues closed and four created within 10 ms while queue 1 waited
     * 31.5 ms behind seven others, each of which ran at most twice a slice and a tail).
     */
    @Test
    void slicingPoliciesServeEveryReadyQueueWithinTheirBoundWhileWorkIsInFlight() {
        // UP: a queue owing a whole share for its tails skips its turn, so it waits at most
        // ceil(tail / share) + 2 rounds, a round being every queue's share and tail.
        long upTail = MAX_TAIL + SLICE / 100; // a tail is seen ended at the next poll
        long upShare = SLICE / MAX_QUEUES;
        long upBound = (Math.ceilDiv(upTail, upShare) + 2) * (SLICE + MAX_QUEUES * upTail);
        qt().withExamples(100).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> { // a seed does not shrink
            servesWithin(new UpPolicy(SLICE, UpPolicy.DEFAULT_UTILIZATION), others -> upBound, seed);
            servesWithin(new CfsPolicy(SLICE), PolicyPropertiesTest::cfsBound, seed);
        });
    }

    /** The case the CFS bound was first written without: queues created while one waits. */
    @Test
    void cfsLetsEachQueueCreatedWhileOneWaitsRunBeforeItOnce() {
        servesWithin(new CfsPolicy(SLICE), PolicyPropertiesTest::cfsBound, 11405543145L);
    }

    /**
     * CFS's longest wait with {@code others} other queues run meanwhile: a waiting queue's virtual
     * runtime stays put; every other queue is at most a slice and a tail ahead of or behind it, so
     * each runs at most twice that before it.
     */
    private static long cfsBound(int others) {
        long cfsTail = MAX_TAIL + SLICE / 50;
        return Math.max(MAX_QUEUES - 1, others) * 2 * (SLICE + cfsTail);
    }

    /** A queue of the model. */
    private static final class Modelled {
        final long id;
        final boolean alwaysBusy;
        boolean ready;
        long readySince = -1;
        /** Running time left in its busy period (unless always busy). */
        long work;
        /** When idle: when its next work arrives. */
        long returnsAt;
        /** Resumed by the last decision. */
        boolean running;
        /** Once suspended: when its work in flight has completed. */
        long drainedAt;
        /** When it last ran, or became ready. */
        long served;
        /** The other queues that ran since {@link #served}. */
        final Set<Long> overtakers = new HashSet<>();

        Modelled(long id, boolean alwaysBusy, long now) {
            this.id = id;
            this.alwaysBusy = alwaysBusy;
            this.returnsAt = now;
        }
    }

    /**
     * Runs the model with {@code policy} from {@code seed}; {@code bound} gives the longest wait
     * allowed for a ready queue, from the number of other queues that ran while it waited.
     */
    private static void servesWithin(Policy policy, IntToLongFunction bound, long seed) {
        Random random = new Random(seed);
        String what = policy.name() + " seed " + seed;
        List<Modelled> queues = new ArrayList<>();
        long nextId = 1;
        for (int i = 2 + random.nextInt(MAX_QUEUES - 1); i > 0; i--) {
            queues.add(new Modelled(nextId++, random.nextBoolean(), random.nextLong(2 * MS)));
        }
        TreeSet<Long> wakeUps = new TreeSet<>();
        long end = 400 * MS;
        long churnAt = random.nextLong(100 * MS);
        long now = 0;
        while (true) {
            for (Modelled q : queues) {
                if (!q.ready && q.returnsAt <= now) {
                    q.ready = true;
                    q.readySince = now;
                    q.served = now;
                    q.work = (100 + random.nextLong(20_000)) * 1_000;
                }
            }
            List<QueueStatus> statuses = new ArrayList<>();
            for (Modelled q : queues) {
                int inFlight = q.ready && (q.running || now < q.drainedAt) ? 1 + random.nextInt(4) : 0;
                statuses.add(new QueueStatus(q.id, "q" + q.id, 0, q.ready, q.readySince, !q.running, q.ready ? 1 : 0,
                        inFlight, 0, Map.of(), Set.of()));
            }
            DecisionRound d = Decisions.decide(policy, now, statuses.toArray(QueueStatus[]::new));
            wakeUps.addAll(d.wakeUps());
            Set<Long> running = d.running();
            for (Modelled q : queues) {
                boolean runs = running.contains(q.id);
                if (q.ready && (q.running || runs)) {
                    q.served = now;
                    q.overtakers.clear();
                } else if (q.ready) {
                    running.stream().filter(id -> id != q.id).forEach(q.overtakers::add);
                }
                assertThat(now - q.served).as(what + ": queue " + q.id + " ready and waiting at " + now / 1e6 + " ms, "
                        + q.overtakers.size() + " others ran meanwhile").isLessThanOrEqualTo(bound.applyAsLong(q.overtakers.size()));
                if (q.running && !runs) {
                    q.drainedAt = now + random.nextLong(MAX_TAIL + 1);
                }
                q.running = runs;
            }
            if (now >= end) {
                return;
            }
            long next = Math.min(end, churnAt);
            Long wake = wakeUps.higher(now);
            if (wake != null) {
                next = Math.min(next, wake);
            }
            for (Modelled q : queues) {
                if (q.ready && q.running && !q.alwaysBusy) {
                    next = Math.min(next, now + q.work);
                } else if (!q.ready) {
                    next = Math.min(next, q.returnsAt);
                }
            }
            for (Modelled q : queues) {
                if (q.ready && q.running && !q.alwaysBusy) {
                    q.work -= next - now;
                    if (q.work <= 0) {
                        q.ready = false;
                        q.readySince = -1;
                        q.returnsAt = next + (50 + random.nextLong(5_000)) * 1_000;
                    }
                }
            }
            now = next;
            if (now == churnAt) {
                churnAt = now + random.nextLong(1, 100 * MS);
                if (queues.size() > 1) {
                    List<Modelled> runners = queues.stream().filter(q -> q.ready && q.running).toList();
                    Modelled closed = random.nextBoolean() && !runners.isEmpty()
                            ? runners.get(random.nextInt(runners.size())) : queues.get(random.nextInt(queues.size()));
                    queues.remove(closed);
                    policy.onQueueRemoved(closed.id);
                }
                if (queues.size() < MAX_QUEUES) {
                    queues.add(new Modelled(nextId++, random.nextBoolean(), now)); // a new queue starts suspended
                }
            }
        }
    }

    private static Hint randomHint(Random random, long now) {
        return switch (random.nextInt(7)) {
            case 0 -> new Hint.Priority(random.nextInt(511) - 255);
            case 1 -> new Hint.Deadline(1 + random.nextInt(50_000_000));
            case 2 -> new Hint.AbsoluteDeadline(now + random.nextInt(50_000_000) - 10_000_000);
            case 3 -> new Hint.Utilization(1 + random.nextInt(100));
            case 4 -> new Hint.Timeslice(1 + random.nextInt(10_000_000));
            case 5 -> new Hint.Laxity(random.nextInt(20_000_000), random.nextInt(511) - 255, random.nextInt(511) - 255);
            default -> new Hint.Weight(1 + random.nextInt(10_000));
        };
    }
}
