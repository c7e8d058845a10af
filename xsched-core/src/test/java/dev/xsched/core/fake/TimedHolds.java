package dev.xsched.core.fake;

import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;

import java.util.HashMap;
import java.util.Map;

/** A test policy: a queue is suspended until the time a test sets for it, then resumed (by a timer). */
public final class TimedHolds implements Policy {
    /** Queue id to the scheduler time until which it is held; tests edit it directly. */
    public final Map<Long, Long> holdUntil = new HashMap<>();

    @Override
    public String name() {
        return "timed-holds";
    }

    @Override
    public void schedule(SchedulingContext context) {
        for (QueueStatus q : context.queues()) {
            long until = holdUntil.getOrDefault(q.id(), Long.MIN_VALUE);
            if (context.now() < until) {
                context.suspend(q.id());
                context.wakeUpAt(until);
            } else {
                context.resume(q.id());
            }
        }
    }
}
