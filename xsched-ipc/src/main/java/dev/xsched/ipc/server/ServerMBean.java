package dev.xsched.ipc.server;

import dev.xsched.core.policy.Policies;
import dev.xsched.ipc.protocol.Message;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/**
 * The server's view through the same MXBean interface as an in-process scheduler, registered as
 * {@code dev.xsched:type=XScheduler,name="xsched-server"}: the queues of every client (ids are the
 * clients' own, names prefixed with the process id), the policy, and switching it; and the
 * server's own CPU time.
 */
final class ServerMBean implements SchedulerServerMXBean {
    private static final System.Logger LOG = System.getLogger(ServerMBean.class.getName());
    private final SchedulerServer server;
    private final ObjectName name;

    private ServerMBean(SchedulerServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    static ServerMBean register(SchedulerServer server) {
        try {
            ObjectName name = ObjectName.getInstance("dev.xsched:type=XScheduler,name=" + ObjectName.quote("xsched-server"));
            ServerMBean bean = new ServerMBean(server, name);
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, name);
            return bean;
        } catch (JMException e) {
            LOG.log(System.Logger.Level.WARNING, "could not register the server's MBean: " + e);
            return null;
        }
    }

    void unregister() {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException e) {
            LOG.log(System.Logger.Level.DEBUG, "the server's MBean was already gone", e);
        }
    }

    @Override
    public String getName() {
        return "xsched-server";
    }

    @Override
    public String getActivePolicy() {
        return server.onServerThread(Coordinator::policyName);
    }

    @Override
    public void setActivePolicy(String policy) {
        server.onServerThread(c -> {
            c.setPolicy(policy, Map.of());
            return null;
        });
    }

    @Override
    public List<String> getInstalledPolicies() {
        return Policies.names();
    }

    @Override
    public int getQueueCount() {
        return server.onServerThread(Coordinator::queueCount);
    }

    @Override
    public long getDecisionCount() {
        return server.onServerThread(Coordinator::decisions);
    }

    @Override
    public long getPolicyFailureCount() {
        return server.onServerThread(Coordinator::policyFailures);
    }

    @Override
    public List<QueueInfo> getQueues() {
        Message.Status status = server.onServerThread(Coordinator::status);
        return status.queues().stream()
                .map(r -> new QueueInfo(r.queueId(), r.pid() + "/" + r.name(), r.suspended(), 0, 0, r.submitted(), 0,
                        r.completed(), 0))
                .toList();
    }

    @Override
    public long getServerThreadCpuNanos() {
        return server.threadCpuNanos();
    }

    @Override
    public long getServerProcessCpuNanos() {
        return SchedulerServer.processCpuNanos();
    }
}
