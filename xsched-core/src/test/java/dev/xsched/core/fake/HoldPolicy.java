package dev.xsched.core.fake;

import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;

import java.util.Objects;

/**
 * A policy for tests that suspends, while {@link #hold} is true, every queue whose name starts
 * with a prefix ("" for every queue), and resumes them otherwise. Tests flip {@code hold} and then
 * give a queue a hint, which makes the scheduler ask the policy again.
 */
public final class HoldPolicy implements Policy {
    private final String prefix;
    public volatile boolean hold;

    public HoldPolicy(String prefix, boolean hold) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.hold = hold;
    }

    @Override
    public String name() {
        return "hold";
    }

    @Override
    public void schedule(SchedulingContext context) {
        for (QueueStatus q : context.queues()) {
            if (hold && q.name().startsWith(prefix)) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }
}
