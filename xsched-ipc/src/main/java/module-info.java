/**
 * xsched-ipc: one scheduling policy for the queues of many processes. A scheduler server
 * ({@link dev.xsched.ipc.server.SchedulerServer}) runs the policies of the SPI per GPU; processes
 * connect through {@code XScheduler.builder().server(path)} (the {@link dev.xsched.ipc.client}
 * provider) over a Unix domain socket with the protocol of {@link dev.xsched.ipc.protocol}.
 * JDK only.
 */
module dev.xsched.ipc {
    requires transitive dev.xsched.core;
    requires jdk.net; // SO_PEERCRED
    requires java.management;

    exports dev.xsched.ipc.protocol;
    exports dev.xsched.ipc.server;
    exports dev.xsched.ipc.client;

    uses dev.xsched.core.policy.PolicyProvider;

    provides dev.xsched.core.coordination.DecisionSourceProvider with dev.xsched.ipc.client.ServerDecisionSourceProvider;
}
