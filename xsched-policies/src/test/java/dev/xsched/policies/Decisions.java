package dev.xsched.policies;

import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs a policy on hand-made queue snapshots, no scheduler and no GPU: a {@link SchedulingContext}
 * that records what the policy decided, and builders for {@link QueueStatus}.
 */
final class Decisions implements SchedulingContext {
    private final long now;
    private final List<QueueStatus> queues;
    final Map<Long, Boolean> suspended = new LinkedHashMap<>();
    final List<Long> wakeUps = new ArrayList<>();

    private Decisions(long now, List<QueueStatus> queues) {
        this.now = now;
        this.queues = List.copyOf(queues);
    }

    /** Asks {@code policy} at {@code now} about {@code queues}. */
    static Decisions decide(Policy policy, long now, QueueStatus... queues) {
        Decisions d = new Decisions(now, List.of(queues));
        policy.schedule(d);
        return d;
    }

    /** Ids of the queues the policy resumed (or left running). */
    Set<Long> running() {
        Set<Long> run = new TreeSet<>();
        for (QueueStatus q : queues) {
            if (!suspended.getOrDefault(q.id(), q.suspended())) {
                run.add(q.id());
            }
        }
        return run;
    }

    /** Ids of the ready queues that run. */
    Set<Long> runningReady() {
        Set<Long> run = new TreeSet<>();
        for (QueueStatus q : queues) {
            if (q.ready() && !suspended.getOrDefault(q.id(), q.suspended())) {
                run.add(q.id());
            }
        }
        return run;
    }

    @Override
    public long now() {
        return now;
    }

    @Override
    public List<QueueStatus> queues() {
        return queues;
    }

    @Override
    public void suspend(long queueId) {
        suspended.put(queueId, true);
    }

    @Override
    public void resume(long queueId) {
        suspended.put(queueId, false);
    }

    @Override
    public void wakeUpAt(long atNanos) {
        wakeUps.add(atNanos);
    }

    /** A queue snapshot under construction. */
    static final class Q {
        private final long id;
        private boolean ready;
        private long readySince = -1;
        private final Map<Class<? extends Hint>, Hint> hints = new HashMap<>();
        private Set<Long> lenders = Set.of();
        private int inFlight;
        private int device;

        private Q(long id) {
            this.id = id;
        }

        static Q idle(long id) {
            return new Q(id);
        }

        static Q ready(long id, long since) {
            Q q = new Q(id);
            q.ready = true;
            q.readySince = since;
            return q;
        }

        Q hint(Hint hint) {
            hints.put(hint.getClass(), hint);
            return this;
        }

        Q device(int index) {
            device = index;
            return this;
        }

        Q inFlight(int commands) {
            inFlight = commands;
            return this;
        }

        Q lenders(Long... waiters) {
            lenders = Set.of(waiters);
            return this;
        }

        QueueStatus build() {
            return new QueueStatus(id, "q" + id, device, ready, readySince, false, ready ? 1 : 0, inFlight, 0, hints, lenders);
        }
    }

    static QueueStatus[] all(Q... qs) {
        QueueStatus[] out = new QueueStatus[qs.length];
        for (int i = 0; i < qs.length; i++) {
            out[i] = qs[i].build();
        }
        return out;
    }
}
