package dev.xsched.core.policy;

import java.util.List;

/**
 * What a policy can see and do during {@link Policy#schedule}. Decisions take effect when
 * {@code schedule} returns; a queue not mentioned keeps its current state. A new queue starts
 * suspended and releases nothing until a decision resumes it, so a policy sees every queue before
 * it can run.
 */
public interface SchedulingContext {
    /** The scheduler's clock, in nanoseconds. */
    long now();

    /** Every queue, in creation order. */
    List<QueueStatus> queues();

    /** Stop releasing this queue's commands (those in flight still finish). */
    void suspend(long queueId);

    /** Release this queue's commands again. */
    void resume(long queueId);

    /** Call {@link Policy#schedule} again at {@code atNanos} (scheduler clock) even if nothing happens. */
    void wakeUpAt(long atNanos);
}
