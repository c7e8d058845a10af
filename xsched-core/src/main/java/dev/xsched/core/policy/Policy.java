package dev.xsched.core.policy;

/**
 * A scheduling policy: decides which queues may release commands to the hardware. The scheduler
 * calls it one round at a time after every event (a queue created, ready, idle or removed, a
 * hint, a timer), on its scheduling thread or, with {@code XScheduler.Builder#decideOnSubmit}, on
 * a thread whose submission turned a queue ready; rounds never overlap and each happens-before
 * the next, so implementations need no locking. One instance serves one scheduler (in a
 * scheduler server, one GPU): it may keep per-queue state keyed by queue id.
 *
 * <p>What a callback may do: read the {@link SchedulingContext} and its snapshots, update the
 * policy's own state, decide, ask for a wake-up. What it must not do: block or wait (no I/O, no
 * locks held by other threads, no sleeping, no {@code synchronize} of a queue or device), because
 * every queue's suspends and resumes wait for it, and a wait on a queue that needs a decision to
 * progress never ends; call back into the scheduler or its queues; read the wall clock (time is
 * {@link SchedulingContext#now()}, virtual in tests); keep the context after the call returns.
 * A call should take microseconds: it runs after every event.
 *
 * <p>A policy that throws does not stop the scheduler: from {@link #schedule} it fails open
 * (every queue runs for that round), and from any callback the error is logged, counted
 * ({@link dev.xsched.core.XScheduler#policyFailureCount()}) and recorded as the JFR event
 * {@code dev.xsched.PolicyFailed}; the policy is called again on the next event.
 */
public interface Policy {
    /**
     * The name the policy is selected by, for example {@code hpf}: the {@link PolicyInfo#name()}
     * of its provider. Called from any thread (JMX, logs); must be constant.
     *
     * @return the name, lower case
     */
    String name();

    /**
     * Decides suspend/resume for the queues, given their current status. A queue the policy does
     * not mention keeps its state; the decisions take effect when this returns. The scheduler then
     * keeps running any suspended queue that a running queue waits on (priority lending, see
     * {@link QueueStatus#lendersOf()}).
     *
     * @param context the queues' snapshots and the calls that decide; valid only during this call
     */
    void schedule(SchedulingContext context);

    /**
     * A hint arrived for a queue. It shows in {@link QueueStatus#hints()} no later than in the
     * {@link #schedule} call that follows this one (a round already running may see it first). A policy switched to at run time receives
     * every queue's current hints this way before its first {@code schedule}. The default does
     * nothing: policies that only read {@link QueueStatus#hints()} need not override it.
     *
     * @param queueId the queue's id
     * @param hint    the hint, replacing the previous one of its type
     * @param now     the scheduler clock's time of arrival, in nanoseconds
     */
    default void onHint(long queueId, Hint hint, long now) {
    }

    /**
     * A queue was closed; forget its state. It does not appear in later snapshots, and its id is
     * never used again.
     *
     * @param queueId the closed queue's id
     */
    default void onQueueRemoved(long queueId) {
    }
}
