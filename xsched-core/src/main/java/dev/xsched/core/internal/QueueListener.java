package dev.xsched.core.internal;

/** How a queue tells its scheduler about state changes. Called from any thread; must not block. */
public interface QueueListener {
    /** The queue had no work and received a command. */
    void onReady(QueueCore queue, long now);

    /** The queue's buffer drained and all its released work completed. */
    void onIdle(QueueCore queue, long now);

    /** The queue cannot release its next command until {@code producer} releases an event record. */
    void onBlocked(QueueCore queue, QueueCore producer);

    /** The queue is no longer blocked on another queue. */
    void onUnblocked(QueueCore queue);

    /**
     * A suspended queue's released work (its "tail") completed while it still holds buffered
     * commands: the device no longer runs anything of it. Lets time-slicing policies start the
     * next slice exactly then instead of polling.
     */
    void onSuspendedTailDrained(QueueCore queue);

    /**
     * Another process's store into the queue's stop word now holds its releases until a decision
     * about it ({@code XQueue.armRemoteStop}). Called under the queue's lock. A scheduler whose
     * own policy decides must run a round for it: nothing else may happen that would (the queue
     * already held work, so it does not turn ready).
     */
    default void onHeldByRemoteStop(QueueCore queue) {
    }
}
