package dev.xsched.micrometer;

import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;

/** Holds the queues whose name starts with "batch" while {@link #hold} is set; runs every other queue. */
final class HoldBatch implements Policy {
    volatile boolean hold;

    @Override
    public String name() {
        return "hold-batch";
    }

    @Override
    public void schedule(SchedulingContext context) {
        for (QueueStatus q : context.queues()) {
            if (hold && q.name().startsWith("batch")) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }
}
