/**
 * xsched-core: XQueues with host-side buffering and progressive launching, the scheduling thread,
 * and the policy SPI ({@code dev.xsched.core.policy}).
 */
module dev.xsched.core {
    requires transitive dev.xsched.hip;
    requires jdk.jfr;
    requires transitive java.management; // the MXBean interface and its QueueInfo are API

    exports dev.xsched.core;
    exports dev.xsched.core.policy;
    exports dev.xsched.core.coordination;
    // JFR reads the event classes reflectively.
    exports dev.xsched.core.internal.jfr to jdk.jfr;

    uses dev.xsched.core.policy.PolicyProvider;
    uses dev.xsched.core.coordination.DecisionSourceProvider;

    provides dev.xsched.core.policy.PolicyProvider with dev.xsched.core.policy.PassThroughPolicy.Provider;
}
