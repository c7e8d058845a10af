package dev.xsched.core.policy;

/**
 * A scheduling policy: decides which queues may release commands to the hardware. The scheduler
 * calls it from its single thread after every event (a queue created, ready, idle or removed, a
 * hint, a timer); implementations need no locking.
 *
 * <p>A policy that throws does not stop the scheduler: it fails open (every queue runs), logs the
 * error and calls the policy again on the next event.
 */
public interface Policy {
    /** The name the policy is selected by, for example {@code hpf}. */
    String name();

    /** Decides suspend/resume for the queues, given their current status. */
    void schedule(SchedulingContext context);

    /** A hint arrived for a queue; it is also visible in {@link QueueStatus#hints()}. */
    default void onHint(long queueId, Hint hint, long now) {
    }

    /** A queue was destroyed; forget its state. */
    default void onQueueRemoved(long queueId) {
    }
}
