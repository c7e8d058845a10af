package dev.xsched.policies;

import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.PolicyInfo;
import dev.xsched.core.policy.PolicyParameters;
import dev.xsched.core.policy.PolicyProvider;
import dev.xsched.core.policy.SchedulingContext;

/**
 * First in, first out: the native behaviour made explicit, and the baseline the other policies are
 * measured against. Nothing is ever suspended, so every queue releases its commands as they are
 * submitted (up to its threshold in flight) and the hardware runs them in arrival order across
 * queues. A queue's wait is bounded by what other queues released before it: at most their
 * thresholds of commands.
 *
 * <p>Same decisions as the core's {@code pass-through}; registered under its own name so that a
 * benchmark or configuration can say what it means.
 */
public final class FifoPolicy implements Policy {
    /** The name it is selected by. */
    public static final String NAME = "fifo";

    /** A policy without parameters. */
    public FifoPolicy() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void schedule(SchedulingContext context) {
        PolicySupport.runExactly(context, queue -> true);
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** The provider registered for {@code ServiceLoader}. */
    @PolicyInfo(name = NAME, description = "first in, first out: nothing is suspended, queues release as they submit (the native baseline)")
    public static final class Provider implements PolicyProvider {
        /** Called by {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        @Override
        public Policy create(PolicyParameters parameters) {
            return new FifoPolicy();
        }
    }
}
