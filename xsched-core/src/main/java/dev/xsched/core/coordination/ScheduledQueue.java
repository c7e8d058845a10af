package dev.xsched.core.coordination;

import dev.xsched.core.XQueue;
import dev.xsched.core.policy.QueueStatus;

import java.util.Objects;

/**
 * A queue as a {@link DecisionSource} sees it at a decision: the queue itself (its device,
 * configuration and counters) and the snapshot a local policy would have seen.
 */
public record ScheduledQueue(XQueue queue, QueueStatus status) {
    public ScheduledQueue {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(status, "status");
    }
}
