package dev.xsched.core;

import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;

/** A test policy: suspends the queue named "lp" while the one named "hp" has work, as hpf does with a higher priority for hp. */
final class OnlineFirst implements Policy {
    @Override
    public String name() {
        return "online-first";
    }

    @Override
    public void schedule(SchedulingContext context) {
        boolean online = context.queues().stream().anyMatch(q -> q.name().equals("hp") && q.ready());
        for (QueueStatus q : context.queues()) {
            if (q.name().equals("lp") && online) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }
}
