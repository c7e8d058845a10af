package dev.xsched.core;

import dev.xsched.core.policy.Hint;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A queue of a scheduler with the latest hint of each type it was given: what a policy that the
 * scheduler switches to receives. The hints map is thread-safe: callers put, the scheduling thread
 * reads.
 */
final class QueueEntry {
    final XQueue queue;
    final Map<Class<? extends Hint>, Hint> hints = new ConcurrentHashMap<>();

    QueueEntry(XQueue queue) {
        this.queue = queue;
    }
}
