package dev.xsched.policies;

import dev.xsched.core.policy.DecisionRound;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policies;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Every installed policy on random sequences of queue snapshots (random hints, ready flags, ready
 * times, lending, removals): it never throws, it decides about every queue, it is work-conserving
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
                run(Policies.create(name, Map.of()), new Random(seed), name + " seed " + seed);
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
                queues.add(new QueueStatus(id, "q" + id, dev, ready, ready ? readySince.get(id) : -1, random.nextBoolean(),
                        ready ? 1 : 0, 0, 0, hints.getOrDefault(id, Map.of()), lenders));
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
