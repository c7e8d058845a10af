package dev.xsched.policies;

import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.PolicyInfo;
import dev.xsched.core.policy.PolicyParameters;
import dev.xsched.core.policy.PolicyProvider;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;

import java.util.List;
import java.util.Map;

/**
 * Laxity-based priorities (XSched's LAX): a queue with a {@link Hint.Laxity} runs at its low
 * priority until {@code laxity} after it became ready, then at its critical priority; a queue
 * without one runs at its {@link Hint.Priority} (0 without a hint). Among the ready queues the
 * highest current priority runs, equal ones together, as in {@link HpfPolicy}; lending works the
 * same way (a producer runs at least at the priority of the queues blocked on it).
 *
 * <p>Typical use: a latency-sensitive queue that is not urgent at first (low priority, so
 * background work keeps the device busy) but must not wait longer than its slack (critical
 * priority, above everything else, once its laxity has run out).
 *
 * <p>Each device is scheduled on its own, as in {@link HpfPolicy}. The switch happens on time: the policy asks the scheduler to wake it at
 * {@code readySince + laxity} for every ready queue that is not critical yet.
 *
 * <p><b>Idle queues</b> stay resumed when the priority they would start at is at least the
 * running priority, otherwise they are suspended (see {@link HpfPolicy}). <b>Starvation:</b> as
 * with HPF, a queue whose current priority stays below that of a queue that is always busy
 * waits; a queue whose critical priority is the highest in the system waits at most its laxity
 * plus the in-flight work of others.
 */
public final class LaxPolicy implements Policy {
    /** The name it is selected by. */
    public static final String NAME = "lax";

    private final PolicySupport.Timers timers = new PolicySupport.Timers();

    /** A policy without parameters. */
    public LaxPolicy() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void schedule(SchedulingContext context) {
        long now = context.now();
        Map<Long, Long> effective = PolicySupport.inherit(context.queues(), q -> currentPriority(q, now), Math::max);
        for (List<QueueStatus> device : PolicySupport.byDevice(context.queues()).values()) {
            long top = Long.MIN_VALUE;
            for (QueueStatus queue : device) {
                if (queue.ready()) {
                    top = Math.max(top, effective.get(queue.id()));
                    queue.hint(Hint.Laxity.class).ifPresent(lax -> {
                        long critical = criticalAt(queue, lax, now);
                        if (critical > now) {
                            timers.wakeUpAt(context, critical);
                        }
                    });
                }
            }
            long running = top;
            PolicySupport.runExactly(context, device, q -> effective.get(q.id()) >= running);
        }
    }

    /**
     * The queue's priority at {@code now}: low before {@code readySince + laxity}, critical from
     * then on (an idle queue: the priority it would start at); without a laxity hint its priority.
     */
    static int currentPriority(QueueStatus queue, long now) {
        return queue.hint(Hint.Laxity.class)
                .map(lax -> {
                    boolean critical = queue.ready() ? now >= criticalAt(queue, lax, now) : lax.laxityNanos() == 0;
                    return critical ? lax.criticalPriority() : lax.lowPriority();
                })
                .orElseGet(queue::priority);
    }

    private static long criticalAt(QueueStatus queue, Hint.Laxity lax, long now) {
        return PolicySupport.saturatedAdd(PolicySupport.readySince(queue, now), lax.laxityNanos());
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** The provider registered for {@code ServiceLoader}. */
    @PolicyInfo(name = NAME,
            description = "laxity: a queue runs at Hint.Laxity's low priority until ready time + laxity, then at its critical priority; highest current priority first")
    public static final class Provider implements PolicyProvider {
        /** Called by {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        @Override
        public Policy create(PolicyParameters parameters) {
            return new LaxPolicy();
        }
    }
}
