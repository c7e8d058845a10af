package dev.xsched.policies;

import dev.xsched.core.policy.QueueStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BinaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * {@link PolicySupport#inherit}, the lending of priorities and deadlines along chains of blocked
 * queues: the work list agrees with the plain fixpoint (every link relaxed until nothing changes)
 * on random wait graphs, cycles and waiters from elsewhere included.
 */
class InheritanceTest {
    private static QueueStatus queue(long id, Set<Long> lenders) {
        return new QueueStatus(id, "q" + id, 0, true, 0, false, 1, 0, 0, Map.of(), lenders);
    }

    /** The definition, relaxed to a fixpoint: what inherit must equal. */
    private static Map<Long, Long> fixpoint(List<QueueStatus> queues, Map<Long, Long> own, BinaryOperator<Long> combine) {
        Map<Long, Long> value = new HashMap<>(own);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (QueueStatus producer : queues) {
                for (Long waiter : producer.lendersOf()) {
                    Long lent = value.get(waiter);
                    if (lent != null) {
                        long after = combine.apply(value.get(producer.id()), lent);
                        if (after != value.get(producer.id())) {
                            value.put(producer.id(), after);
                            changed = true;
                        }
                    }
                }
            }
        }
        return value;
    }

    @Test
    void agreesWithTheFixpointOnRandomWaitGraphs() {
        qt().withExamples(500).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> { // a seed does not shrink
            Random random = new Random(seed);
            int n = 1 + random.nextInt(40);
            Map<Long, Long> own = new HashMap<>();
            List<QueueStatus> queues = new ArrayList<>();
            for (long id = 0; id < n; id++) {
                own.put(id, (long) random.nextInt(10) - 5);
            }
            for (long id = 0; id < n; id++) {
                Set<Long> lenders = new HashSet<>();
                int edges = random.nextInt(3);
                for (int e = 0; e < edges; e++) {
                    // Now and then a waiter that is not among the queues (another device's, a closed one).
                    lenders.add(random.nextInt(8) == 0 ? 1000L + random.nextInt(5) : (long) random.nextInt(n));
                }
                lenders.remove(id);
                queues.add(queue(id, lenders));
            }
            assertThat(PolicySupport.inherit(queues, q -> own.get(q.id()), Math::max)).as("max, seed %d", seed)
                    .isEqualTo(fixpoint(queues, own, Math::max));
            assertThat(PolicySupport.inherit(queues, q -> own.get(q.id()), Math::min)).as("min, seed %d", seed)
                    .isEqualTo(fixpoint(queues, own, Math::min));
        });
    }

    /** The shape that made the fixpoint quadratic: each queue blocked on the one made before it, the last one hinted. */
    @Test
    void aLongChainPassesItsLastQueuesValueAllTheWayBack() {
        int n = 8192;
        List<QueueStatus> queues = new ArrayList<>();
        for (long id = 0; id < n; id++) {
            queues.add(queue(id, id + 1 < n ? Set.of(id + 1) : Set.of()));
        }
        Map<Long, Long> value = PolicySupport.inherit(queues, q -> q.id() == n - 1 ? 7 : 0, Math::max);
        assertThat(value.values()).hasSize(n).containsOnly(7L);
    }
}
