package dev.xsched.core.policy;

import java.util.List;

/**
 * What a policy can see and do during {@link Policy#schedule}. Decisions take effect when
 * {@code schedule} returns; a queue not mentioned keeps its current state. A new queue starts
 * suspended and releases nothing until a decision resumes it, so a policy sees every queue before
 * it can run.
 */
public interface SchedulingContext {
    /**
     * The scheduler's clock at this decision: the same value throughout the call.
     *
     * @return the time in nanoseconds ({@link dev.xsched.core.SchedulerClock})
     */
    long now();

    /**
     * Every queue, in creation order, as of this decision.
     *
     * @return immutable snapshots; on a scheduler server, the queues of every process on this GPU
     */
    List<QueueStatus> queues();

    /**
     * Stop releasing this queue's commands. Those in flight still finish (up to the queue's
     * threshold), and its running yieldable kernels stop at their next check when cooperative
     * yield is on. A later call about the same queue in this round replaces this one.
     *
     * @param queueId a queue of {@link #queues()}; other ids are ignored
     */
    void suspend(long queueId);

    /**
     * Release this queue's commands again, from where they stopped. A later call about the same
     * queue in this round replaces this one.
     *
     * @param queueId a queue of {@link #queues()}; other ids are ignored
     */
    void resume(long queueId);

    /**
     * Call {@link Policy#schedule} again at {@code atNanos} even if nothing happens: how time
     * slices and deadlines end. Each call adds a wake-up; a time already past means the next step.
     *
     * @param atNanos the time on the scheduler clock, in nanoseconds
     */
    void wakeUpAt(long atNanos);
}
