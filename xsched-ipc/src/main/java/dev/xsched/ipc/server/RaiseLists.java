package dev.xsched.ipc.server;

import dev.xsched.core.policy.Hint;
import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cross-process stop on one GPU: which stop words each queue's client advances when the queue
 * turns ready ({@link Message.RaiseOnReady}), and which queues such a store may have stopped
 * without the policy suspending them, so that they are told to run.
 *
 * <p><b>Only under HPF.</b> A store stops a queue before the server has seen anything, so it must
 * be what the policy decides anyway, whatever else happens meanwhile. Under {@code hpf} it follows
 * from two queues' priorities alone: while a queue has work, every queue of its device whose
 * effective priority is strictly lower is suspended (ready or idle), and equal ones run together;
 * a queue's effective priority is its own {@link Hint.Priority} (0 without one), raised to that of
 * any queue waiting on its events, transitively, as {@code HpfPolicy} ranks it. Other policies
 * decide from time and state that a client turning ready cannot see (slices, deadlines, laxity,
 * shares, order of arrival), and a wrong store costs a stopped kernel and a round trip to undo it:
 * under them every list is empty.
 *
 * <p><b>Queues a store may have stopped.</b> A queue whose flag another process raised holds its
 * releases until a decision about it arrives (a suspend, or a run even if it changes nothing), not
 * merely until its client's next round. So after a queue with a non-empty list turned ready, or
 * went away (closed, or its process died, possibly right after a store it never reported), every
 * queue on that list which the next round leaves running must be told so explicitly
 * ({@link #takeMayHaveStopped()}); one the round suspends is told by the suspend.
 *
 * <p>Bounded work: a list holds at most {@value FrameCodec#MAX_RAISE_WORDS} words, the lowest
 * priorities first, and computing it looks at no more than {@link #MAX_SCAN} queues (a client may
 * register thousands). A queue left off is still stopped by the policy's suspend, a round trip
 * later, as without the cross-process stop.
 *
 * <p>Owned by the server's thread, like its {@link DeviceScheduler}.
 */
final class RaiseLists {
    /** The most candidate queues one list's computation looks at. */
    static final int MAX_SCAN = 4 * FrameCodec.MAX_RAISE_WORDS;

    /** Whether something a list depends on changed since the last {@link #refresh}. */
    private boolean stale = true;
    /** Server ids of the queues a store may have stopped since the last round. */
    private final Set<Long> mayHaveStopped = new LinkedHashSet<>();

    /** A queue came or went, or a hint, a wait, a stop word or the policy changed: recompute at the next refresh. */
    void invalidate() {
        stale = true;
    }

    /**
     * {@code raiser} turned ready, or goes away: the queues of the list its client was last sent
     * may have been stopped by its store.
     */
    void raisedBy(ServerQueue raiser) {
        mayHaveStopped.addAll(raiser.raiseTargets);
    }

    /** {@return the server ids of the queues a store may have stopped since the last call, which is the round's to answer} */
    List<Long> takeMayHaveStopped() {
        List<Long> ids = List.copyOf(mayHaveStopped);
        mayHaveStopped.clear();
        return ids;
    }

    /**
     * Recomputes every queue's list if anything it depends on changed since the last call.
     *
     * @param queues     every queue of the device, in creation order
     * @param byPriority whether the device's policy is HPF (otherwise every list is empty)
     * @return the queues whose list changed, their new list recorded in
     *         {@link ServerQueue#raisesSent}: their clients must be told
     */
    List<ServerQueue> refresh(Collection<ServerQueue> queues, boolean byPriority) {
        if (!stale) {
            return List.of();
        }
        stale = false;
        Map<Long, Integer> effective = byPriority ? effectivePriorities(queues) : Map.of();
        // The queues that can be stored into, lowest priority first: a list is a prefix of them.
        List<ServerQueue> candidates = byPriority
                ? queues.stream().filter(q -> q.stopWord != null)
                        .sorted(Comparator.comparingInt((ServerQueue q) -> effective.get(q.id)).thenComparingLong(q -> q.id))
                        .toList()
                : List.of();
        List<ServerQueue> changed = new ArrayList<>();
        for (ServerQueue raiser : queues) {
            List<Message.StopWordRef> words = new ArrayList<>();
            List<Long> targets = new ArrayList<>();
            int own = byPriority ? effective.get(raiser.id) : Integer.MIN_VALUE;
            for (int i = 0; i < candidates.size() && i < MAX_SCAN && words.size() < FrameCodec.MAX_RAISE_WORDS; i++) {
                ServerQueue target = candidates.get(i);
                if (effective.get(target.id) >= own) {
                    break;
                }
                // Its own process's queues hear of its decisions in one hop: no store needed.
                if (target.client != raiser.client) {
                    words.add(target.stopWord);
                    targets.add(target.id);
                }
            }
            if (!words.equals(raiser.raisesSent)) {
                raiser.raisesSent = List.copyOf(words);
                raiser.raiseTargets = List.copyOf(targets);
                changed.add(raiser);
            } else {
                raiser.raiseTargets = List.copyOf(targets); // the same words may now belong to other queues
            }
        }
        return changed;
    }

    /**
     * Every queue's priority after lending, as HPF ranks it: max(own, waiters'), transitively. Each
     * queue waits on at most one producer, so the lending runs up chains: each queue's own priority,
     * highest first, is carried up its chain until a queue that already has as much. A queue is so
     * raised at most once, where a fixpoint over every queue per round was quadratic in a chain
     * (thousands of queues chained by one client held the server's thread for seconds per round).
     */
    static Map<Long, Integer> effectivePriorities(Collection<ServerQueue> queues) {
        Map<Long, Integer> value = new HashMap<>();
        Map<Long, Long> producerOf = new HashMap<>();
        for (ServerQueue q : queues) {
            value.put(q.id, q.hints.get(Hint.Priority.class) instanceof Hint.Priority p ? p.value() : 0);
            producerOf.put(q.id, q.producer);
        }
        List<ServerQueue> highestFirst = new ArrayList<>(queues);
        highestFirst.sort(Comparator.comparingInt((ServerQueue q) -> value.get(q.id)).reversed());
        for (ServerQueue waiter : highestFirst) {
            int lent = value.get(waiter.id);
            Long producer = producerOf.get(waiter.id);
            // Stops at a queue that has as much already: the walk that raised it went on from there.
            while (producer != null && producer >= 0 && value.containsKey(producer) && value.get(producer) < lent) {
                value.put(producer, lent);
                producer = producerOf.get(producer);
            }
        }
        return value;
    }
}
