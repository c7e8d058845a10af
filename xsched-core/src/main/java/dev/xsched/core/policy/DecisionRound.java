package dev.xsched.core.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One decision of a policy: the {@link SchedulingContext} a call of {@link Policy#schedule} sees,
 * and what it decided. The scheduler runs one per scheduling step and applies {@link #outcome()};
 * a test runs one on hand-made {@link QueueStatus} snapshots, with no scheduler and no GPU.
 */
public final class DecisionRound {
    private final long now;
    private final List<QueueStatus> queues;
    /** Explicit decisions, queue id to suspended, in the order first made; a later one replaces an earlier. */
    private final Map<Long, Boolean> decisions = new LinkedHashMap<>();
    private final List<Long> wakeUps = new ArrayList<>();

    private DecisionRound(long now, List<QueueStatus> queues) {
        this.now = now;
        this.queues = List.copyOf(queues);
    }

    /**
     * Asks {@code policy} what to run among {@code queues} at {@code now}. Whatever the policy
     * throws propagates (the scheduler then fails open).
     *
     * @param policy the policy, called once on this thread
     * @param now    what {@link SchedulingContext#now()} returns, in nanoseconds
     * @param queues the snapshots it sees, in creation order; copied
     * @return the finished round, for reading its outcome
     */
    public static DecisionRound run(Policy policy, long now, List<QueueStatus> queues) {
        Objects.requireNonNull(policy, "policy");
        DecisionRound round = new DecisionRound(now, queues);
        policy.schedule(round.new Context());
        return round;
    }

    /**
     * The time the policy was told.
     *
     * @return the scheduler clock's time of the round, in nanoseconds
     */
    public long now() {
        return now;
    }

    /**
     * The queues the policy saw, in creation order.
     *
     * @return the immutable snapshots
     */
    public List<QueueStatus> queues() {
        return queues;
    }

    /**
     * What the policy said explicitly: queue id to whether it is suspended. The last call about a
     * queue counts; ids of queues not in the round are kept here but ignored by {@link #outcome()}.
     *
     * @return an unmodifiable view, in the order first decided
     */
    public Map<Long, Boolean> decisions() {
        return Collections.unmodifiableMap(decisions);
    }

    /**
     * Whether the queue is suspended after this round: as decided, or as it was if not mentioned.
     *
     * @param queueId a queue of the round
     * @return true if suspended
     * @throws IllegalArgumentException if the queue was not in the round and not decided about
     */
    public boolean suspended(long queueId) {
        Boolean decided = decisions.get(queueId);
        if (decided != null) {
            return decided;
        }
        for (QueueStatus q : queues) {
            if (q.id() == queueId) {
                return q.suspended();
            }
        }
        throw new IllegalArgumentException("no queue " + queueId + " in this round");
    }

    /**
     * For every queue, in order, whether it is suspended after this round, before priority lending
     * (which {@link dev.xsched.core.coordination.PolicyRunner} applies).
     *
     * @return a new mutable map, queue id to suspended
     */
    public Map<Long, Boolean> outcome() {
        Map<Long, Boolean> outcome = new LinkedHashMap<>();
        for (QueueStatus q : queues) {
            outcome.put(q.id(), decisions.getOrDefault(q.id(), q.suspended()));
        }
        return outcome;
    }

    /**
     * Ids of the queues that run after this round (resumed, or left running).
     *
     * @return a new sorted set
     */
    public Set<Long> running() {
        Set<Long> run = new TreeSet<>();
        outcome().forEach((id, suspended) -> {
            if (!suspended) {
                run.add(id);
            }
        });
        return run;
    }

    /**
     * Ids of the ready queues that run after this round.
     *
     * @return a new sorted set
     */
    public Set<Long> runningReady() {
        Set<Long> run = new TreeSet<>();
        for (QueueStatus q : queues) {
            if (q.ready() && !decisions.getOrDefault(q.id(), q.suspended())) {
                run.add(q.id());
            }
        }
        return run;
    }

    /**
     * The times the policy asked to be called again at, in the order asked.
     *
     * @return an unmodifiable view, scheduler clock in nanoseconds
     */
    public List<Long> wakeUps() {
        return Collections.unmodifiableList(wakeUps);
    }

    /** What the policy sees: writes go to the round. */
    private final class Context implements SchedulingContext {
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
            decisions.put(queueId, true);
        }

        @Override
        public void resume(long queueId) {
            decisions.put(queueId, false);
        }

        @Override
        public void wakeUpAt(long atNanos) {
            wakeUps.add(atNanos);
        }
    }
}
