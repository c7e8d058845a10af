package dev.xsched.core.coordination;

import dev.xsched.core.XQueue;
import dev.xsched.core.policy.QueueStatus;

import java.util.Objects;

/**
 * A queue as a {@link DecisionSource} sees it at a decision: the queue itself (its device,
 * configuration and counters) and the snapshot a local policy would have seen.
 *
 * @param queue  the queue itself; a source reads it and must not submit to or close it
 * @param status its snapshot at this decision
 */
public record ScheduledQueue(XQueue queue, QueueStatus status) {
    /**
     * Checks both are present.
     *
     * @param queue  the queue
     * @param status its snapshot
     */
    public ScheduledQueue {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(status, "status");
    }
}
