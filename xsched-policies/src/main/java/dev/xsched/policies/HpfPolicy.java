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
 * Highest priority first (XSched's HPF). A queue's priority is its {@link Hint.Priority} in
 * [-255, 255], larger is more important, 0 without a hint.
 *
 * <p>Among the queues with work (ready), those of the highest priority run, several of equal
 * priority together; every queue of lower priority, ready or idle, is suspended, so an idle
 * low-priority queue that receives work does not slip commands onto the hardware before the
 * policy has seen it. Idle queues of the running priority or above stay resumed: their first
 * command reaches the hardware without a round trip through the scheduler, which is what this
 * policy would decide anyway. With no queue ready, every queue is resumed.
 *
 * <p><b>Lending.</b> A queue's effective priority is the maximum of its own and of the effective
 * priorities of the queues blocked on its events ({@link QueueStatus#lendersOf()}). The scheduler
 * already forces such a producer to run while its waiter runs; ranking it by the waiter's
 * priority keeps the policy from suspending it on every decision, and lets it run with the
 * waiter's rank against third queues (no priority inversion through a middle priority).
 *
 * <p>Each device is scheduled on its own: priorities compare only queues of the same device
 * (lending may cross devices).
 *
 * <p><b>Starvation.</b> By design: a lower-priority queue runs only while no higher-priority queue
 * has work.
 *
 * <p><b>Hardware priorities.</b> Level-1 preemption (stop launching) waits for the commands a
 * suspended queue already has in flight. Where the device honours stream priorities, create the
 * high-priority queues on a matching hardware priority as well
 * ({@link HardwarePriorities#createQueue}), which bounds the wait by one thread block.
 */
public final class HpfPolicy implements Policy {
    /** The name it is selected by. */
    public static final String NAME = "hpf";

    /** A policy without parameters. */
    public HpfPolicy() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void schedule(SchedulingContext context) {
        Map<Long, Long> effective = effectivePriorities(context.queues());
        for (List<QueueStatus> device : PolicySupport.byDevice(context.queues()).values()) {
            long top = Long.MIN_VALUE;
            for (QueueStatus queue : device) {
                if (queue.ready()) {
                    top = Math.max(top, effective.get(queue.id()));
                }
            }
            long running = top;
            PolicySupport.runExactly(context, device, queue -> effective.get(queue.id()) >= running);
        }
    }

    /** Every queue's priority after lending: max(own, lenders'). */
    static Map<Long, Long> effectivePriorities(List<QueueStatus> queues) {
        return PolicySupport.inherit(queues, QueueStatus::priority, Math::max);
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** The provider registered for {@code ServiceLoader}. */
    @PolicyInfo(name = NAME,
            description = "highest priority first: the ready queues of the highest Hint.Priority run (equal ones together), all lower ones are suspended")
    public static final class Provider implements PolicyProvider {
        /** Called by {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        @Override
        public Policy create(PolicyParameters parameters) {
            return new HpfPolicy();
        }
    }
}
