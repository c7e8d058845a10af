package dev.xsched.ipc.server;

import dev.xsched.core.policy.Hint;
import dev.xsched.ipc.protocol.Message;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * {@link RaiseLists#effectivePriorities}, HPF's lending on the server (a producer ranks with the
 * highest priority among the queues waiting on it, transitively): the chain walk agrees with the
 * plain fixpoint on random wait graphs (each queue waits on at most one producer; cycles, and
 * producers the server does not know, included).
 */
class EffectivePrioritiesTest {
    private static final Client CLIENT = new Client(1, 1, "test", Message.Role.SCHEDULING);
    private static final UUID DEVICE = new UUID(0, 0);

    private static ServerQueue queue(long id, int priority, long producer) {
        ServerQueue q = new ServerQueue(id, CLIENT, id, "q" + id, DEVICE, 0);
        q.hints.put(Hint.Priority.class, new Hint.Priority(priority));
        q.producer = producer;
        return q;
    }

    /** The definition relaxed until nothing changes. */
    private static Map<Long, Integer> fixpoint(List<ServerQueue> queues) {
        Map<Long, Integer> value = new HashMap<>();
        queues.forEach(q -> value.put(q.id, ((Hint.Priority) q.hints.get(Hint.Priority.class)).value()));
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ServerQueue waiter : queues) {
                Integer producer = value.get(waiter.producer);
                if (producer != null && value.get(waiter.id) > producer) {
                    value.put(waiter.producer, value.get(waiter.id));
                    changed = true;
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
            List<ServerQueue> queues = new ArrayList<>();
            for (long id = 0; id < n; id++) {
                long producer = switch (random.nextInt(4)) {
                    case 0 -> -1;
                    case 1 -> 1000 + random.nextInt(3); // a producer the server does not know
                    default -> random.nextInt(n);
                };
                queues.add(queue(id, random.nextInt(7) - 3, producer == id ? -1 : producer));
            }
            assertThat(RaiseLists.effectivePriorities(queues)).as("seed %d", seed).isEqualTo(fixpoint(queues));
        });
    }

    /** The shape that made the fixpoint quadratic: each queue blocked on the one before, the last one hinted. */
    @Test
    void aLongChainPassesItsLastQueuesPriorityAllTheWayBack() {
        int n = 8192;
        List<ServerQueue> queues = new ArrayList<>();
        for (long id = 0; id < n; id++) {
            queues.add(queue(id, id == n - 1 ? 9 : 0, id - 1));
        }
        assertThat(RaiseLists.effectivePriorities(queues).values()).hasSize(n).containsOnly(9);
    }
}
