package dev.xsched.core.coordination;

import dev.xsched.core.internal.jfr.PolicyFailed;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.DecisionRound;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a {@link Policy} over a set of queue snapshots: one decision round. Shared by the
 * in-process {@link dev.xsched.core.XScheduler} and the scheduler server of other processes, so
 * both fail open the same way and lend priorities the same way.
 *
 * <p>Not thread-safe: its owner calls it one round at a time (a scheduler's rounds are ordered by a
 * lock, whichever thread runs them; the server's by its one thread). The counters and the policy
 * name may be read from any thread.
 */
public final class PolicyRunner {
    private static final System.Logger LOG = System.getLogger(PolicyRunner.class.getName());

    /**
     * The outcome of a round.
     *
     * @param suspended for every queue given, whether it is to be suspended (lending applied)
     * @param wakeUps   times (scheduler clock) at which the policy asked to be run again
     * @param failed    whether the policy threw (every queue then runs)
     */
    public record Outcome(Map<Long, Boolean> suspended, List<Long> wakeUps, boolean failed) {
    }

    private final String owner;
    private volatile Policy policy;
    private volatile long decisions;
    private volatile long failures;

    /**
     * A runner for one scheduler.
     *
     * @param owner  names the scheduler in log lines
     * @param policy the first policy; the runner calls it only from the thread that calls the runner
     */
    public PolicyRunner(String owner, Policy policy) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * The policy asked in the next round (safe from any thread).
     *
     * @return the current policy
     */
    public Policy policy() {
        return policy;
    }

    /**
     * Rounds run so far, failed ones included (safe from any thread).
     *
     * @return the count
     */
    public long decisions() {
        return decisions;
    }

    /**
     * Times the policy threw so far, in any callback (safe from any thread).
     *
     * @return the count
     */
    public long failures() {
        return failures;
    }

    /**
     * Replaces the policy without telling it anything: for shutting down, where the next round
     * must simply let everything run. Safe from any thread.
     *
     * @param next the policy asked from the next round on
     */
    public void replace(Policy next) {
        this.policy = Objects.requireNonNull(next, "policy");
    }

    /**
     * Switches to {@code next} and gives it the queues' current hints through
     * {@link Policy#onHint}; what it throws there is counted and logged, and the switch stands.
     *
     * @param next         the new policy
     * @param hintsByQueue every queue's current hints, by queue id
     * @param now          the scheduler clock's time, in nanoseconds
     */
    public void switchTo(Policy next, Map<Long, ? extends Collection<Hint>> hintsByQueue, long now) {
        replace(next);
        hintsByQueue.forEach((queue, hints) -> hints.forEach(h -> safely(() -> next.onHint(queue, h, now))));
    }

    /**
     * Tells the policy of a hint ({@link Policy#onHint}); what it throws is counted and logged.
     *
     * @param queueId the queue's id
     * @param hint    the hint
     * @param now     the scheduler clock's time, in nanoseconds
     */
    public void hint(long queueId, Hint hint, long now) {
        safely(() -> policy.onHint(queueId, hint, now));
    }

    /**
     * Tells the policy a queue is gone ({@link Policy#onQueueRemoved}); what it throws is counted
     * and logged.
     *
     * @param queueId the closed queue's id
     */
    public void removed(long queueId) {
        safely(() -> policy.onQueueRemoved(queueId));
    }

    /**
     * Asks the policy about {@code queues} (in creation order); a queue it does not mention keeps
     * its current state. If it throws, every queue runs. Priority lending is applied last.
     *
     * @param now    the scheduler clock's time, in nanoseconds
     * @param queues the snapshots, in creation order
     * @return for every queue whether it is to be suspended, and the wake-ups asked for
     */
    public Outcome decide(long now, List<QueueStatus> queues) {
        Map<Long, Boolean> desired;
        List<Long> wakeUps;
        boolean failed = false;
        try {
            DecisionRound round = DecisionRound.run(policy, now, List.copyOf(queues));
            desired = round.outcome();
            wakeUps = round.wakeUps();
        } catch (RuntimeException e) {
            policyFailed(e);
            desired = new LinkedHashMap<>();
            for (QueueStatus status : queues) {
                desired.put(status.id(), false);
            }
            wakeUps = List.of();
            failed = true;
        }
        lend(desired, queues);
        decisions++;
        return new Outcome(desired, List.copyOf(wakeUps), failed);
    }

    /**
     * A queue that a running queue is blocked on must run too, or the waiter waits forever: the
     * waiter lends its right to run to the producer (transitively, {@link QueueStatus#lendersOf()})
     * until the record is released.
     *
     * @param desiredSuspended queue id to suspended, changed in place: producers of running
     *                         waiters become false
     * @param queues           the snapshots, whose {@link QueueStatus#lendersOf()} say who waits on whom
     */
    public static void lend(Map<Long, Boolean> desiredSuspended, List<QueueStatus> queues) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (QueueStatus producer : queues) {
                if (Boolean.TRUE.equals(desiredSuspended.get(producer.id()))
                        && producer.lendersOf().stream().anyMatch(w -> Boolean.FALSE.equals(desiredSuspended.get(w)))) {
                    desiredSuspended.put(producer.id(), false);
                    changed = true;
                }
            }
        }
    }

    private void safely(Runnable policyCall) {
        try {
            policyCall.run();
        } catch (RuntimeException e) {
            policyFailed(e);
        }
    }

    private void policyFailed(RuntimeException e) {
        failures++;
        LOG.log(System.Logger.Level.ERROR, "policy " + policy.name() + " of scheduler " + owner
                + " threw; failing open (every queue runs)", e);
        if (PolicyFailed.isOn()) {
            PolicyFailed.emit(policy.name(), String.valueOf(e));
        }
    }
}
