package dev.xsched.ipc.server;

import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policies;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.ipc.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * After any sequence of client deaths, no live queue stays suspended on behalf of a dead one: under
 * HPF a live queue is suspended only while a live, ready queue of higher priority on its device
 * exists. Checked after every death, for random clients, queues, priorities, devices and states.
 */
class ClientDeathPropertyTest {
    private record Spec(int client, int device, int priority, boolean ready) {
    }

    @Test
    void noLiveQueueStaysSuspendedForADeadClient() {
        qt().withExamples(300).forAll(
                        lists().of(integers().between(0, 4 * 2 * 11 * 2 - 1)).ofSizeBetween(1, 12),
                        lists().of(integers().between(0, 4)).ofSizeBetween(0, 6))
                .checkAssert((queueCodes, deaths) -> {
                    try {
                        check(queueCodes, deaths);
                    } catch (ProtocolException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private static void check(List<Integer> queueCodes, List<Integer> deaths) throws ProtocolException {
        long[] now = {0};
        Coordinator coordinator = new Coordinator(() -> now[0], "hpf", Map.of(), Policies::create, (c, m) -> {
        });
        Map<Integer, Long> clientIds = new HashMap<>();
        Map<Long, List<Long>> queuesOf = new HashMap<>();
        Map<String, Spec> specs = new HashMap<>();
        long nextQueue = 1;
        for (int code : queueCodes) {
            Spec spec = new Spec(code % 4, code / 4 % 2, (code / 8 % 11 - 5) * 10, code / 88 % 2 == 1);
            long client = clientIds.computeIfAbsent(spec.client(),
                    k -> coordinator.join(new Message.Hello(100 + k, "p" + k, Message.Role.SCHEDULING)));
            long queue = nextQueue++;
            UUID device = new UUID(0, spec.device());
            coordinator.handle(client, new Message.QueueCreated(queue, "q" + queue, device, 16, 8));
            coordinator.handle(client, new Message.HintSet(queue, new Hint.Priority(spec.priority())));
            if (spec.ready()) {
                coordinator.handle(client, new Message.QueueReady(queue, now[0]));
            }
            queuesOf.computeIfAbsent(client, k -> new ArrayList<>()).add(queue);
            specs.put(client + "/" + queue, spec);
            now[0] += 10;
        }
        for (int death : deaths) {
            Long client = clientIds.remove(death);
            if (client == null) {
                continue;
            }
            coordinator.leave(client);
            queuesOf.remove(client);
            for (var live : queuesOf.entrySet()) {
                for (long queue : live.getValue()) {
                    Spec spec = specs.get(live.getKey() + "/" + queue);
                    if (!coordinator.isSuspended(live.getKey(), queue)) {
                        continue;
                    }
                    boolean justified = queuesOf.entrySet().stream().anyMatch(other -> other.getValue().stream()
                            .map(q -> specs.get(other.getKey() + "/" + q))
                            .anyMatch(s -> s.device() == spec.device() && s.ready() && s.priority() > spec.priority()));
                    if (!justified) {
                        throw new AssertionError("queue " + queue + " " + spec + " of client " + live.getKey()
                                + " stays suspended with no live, ready, higher-priority queue on its device");
                    }
                }
            }
        }
    }
}
