package dev.xsched.core.policy;

/**
 * Everything runs: no queue is ever suspended. Built into the core so that it is usable without
 * the policies module, and the state the scheduler falls back to when a policy fails.
 */
public final class PassThroughPolicy implements Policy {
    /** The name it is selected by. */
    public static final String NAME = "pass-through";

    /** A stateless policy: one instance may be shared by any number of schedulers. */
    public PassThroughPolicy() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void schedule(SchedulingContext context) {
        for (QueueStatus queue : context.queues()) {
            if (queue.suspended()) {
                context.resume(queue.id());
            }
        }
    }

    /** The provider registered for {@code ServiceLoader}. */
    @PolicyInfo(name = NAME, description = "every queue runs; commands reach the hardware as they are submitted")
    public static final class Provider implements PolicyProvider {
        /** Called by {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        @Override
        public Policy create(PolicyParameters parameters) {
            return new PassThroughPolicy();
        }
    }
}
