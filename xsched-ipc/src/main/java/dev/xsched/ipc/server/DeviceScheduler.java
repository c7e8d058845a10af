package dev.xsched.ipc.server;

import dev.xsched.core.coordination.PolicyRunner;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One GPU's scheduler in the server: the queues of every client on that device (matched by UUID)
 * under one policy instance, run through xsched-core's {@link PolicyRunner} exactly as an
 * in-process scheduler runs it, and the device's stop-word lists ({@link RaiseLists}), which every
 * change of its queues, hints or policy invalidates.
 */
final class DeviceScheduler {
    final UUID device;
    /** Which stop words each queue's turning ready advances. */
    final RaiseLists raiseLists = new RaiseLists();
    private final int index;
    private final PolicyRunner runner;
    private final TreeMap<Long, ServerQueue> queues = new TreeMap<>(); // by server id = creation order
    private final TreeSet<Long> timers = new TreeSet<>();

    DeviceScheduler(UUID device, int index, Policy policy) {
        this.device = device;
        this.index = index;
        this.runner = new PolicyRunner("xsched-server/" + device, policy);
    }

    PolicyRunner runner() {
        return runner;
    }

    boolean isEmpty() {
        return queues.isEmpty();
    }

    /** Its queues in creation order (a live view). */
    Collection<ServerQueue> queues() {
        return queues.values();
    }

    /** The queue of server id {@code id}, or null if it is gone. */
    ServerQueue queue(long id) {
        return queues.get(id);
    }

    void add(ServerQueue queue) {
        queues.put(queue.id, queue);
        raiseLists.invalidate();
    }

    void remove(ServerQueue queue) {
        queues.remove(queue.id);
        raiseLists.invalidate();
        runner.removed(queue.id);
        for (ServerQueue q : queues.values()) {
            if (q.producer == queue.id) {
                q.producer = -1;
            }
        }
    }

    void hint(ServerQueue queue, Hint hint, long now) {
        queue.hints.put(hint.getClass(), hint);
        runner.hint(queue.id, hint, now);
        raiseLists.invalidate();
    }

    void switchTo(Policy policy, long now) {
        Map<Long, List<Hint>> hints = new HashMap<>();
        queues.values().forEach(q -> hints.put(q.id, List.copyOf(q.hints.values())));
        timers.clear();
        runner.switchTo(policy, hints, now);
        raiseLists.invalidate();
    }

    /** The earliest wake-up the policy asked for, or {@code Long.MAX_VALUE}. */
    long nextWakeUp() {
        return timers.isEmpty() ? Long.MAX_VALUE : timers.first();
    }

    /** Drops the wake-ups due by {@code now}; whether there were any. */
    boolean takeDue(long now) {
        boolean any = false;
        while (!timers.isEmpty() && timers.first() <= now) {
            timers.pollFirst();
            any = true;
        }
        return any;
    }

    /**
     * Runs the policy and applies its answer to the queues' recorded state.
     *
     * @return the queues whose state the clients must be told (changed, or never decided before)
     */
    List<ServerQueue> decide(long now) {
        Map<Long, Set<Long>> lenders = new HashMap<>();
        for (ServerQueue q : queues.values()) {
            if (q.producer >= 0) {
                lenders.computeIfAbsent(q.producer, k -> new HashSet<>()).add(q.id);
            }
        }
        List<QueueStatus> statuses = new ArrayList<>(queues.size());
        for (ServerQueue q : queues.values()) {
            // Counters of commands stay in the clients (traffic is per state change, never per
            // command): the policy sees 0 buffered, 0 in flight, 0 launched.
            statuses.add(new QueueStatus(q.id, q.name, index, q.ready, q.readySince, q.suspended, 0, 0, 0, q.hints,
                    lenders.getOrDefault(q.id, Set.of())));
        }
        PolicyRunner.Outcome outcome = runner.decide(now, statuses);
        timers.addAll(outcome.wakeUps());
        List<ServerQueue> changed = new ArrayList<>();
        for (ServerQueue q : queues.values()) {
            boolean suspend = outcome.suspended().get(q.id);
            if (!q.decided || suspend != q.suspended) {
                q.account(now);
                q.suspended = suspend;
                q.decided = true;
                q.account(now);
                changed.add(q);
            }
        }
        return changed;
    }
}
