package dev.xsched.core;

import dev.xsched.core.policy.Policies;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.List;

/** Registers an {@link XSchedulerMXBean} for a scheduler and removes it on close. */
final class SchedulerMBeanRegistration implements XSchedulerMXBean {
    private static final System.Logger LOG = System.getLogger(SchedulerMBeanRegistration.class.getName());

    private final XScheduler scheduler;
    private final ObjectName objectName;

    private SchedulerMBeanRegistration(XScheduler scheduler, ObjectName objectName) {
        this.scheduler = scheduler;
        this.objectName = objectName;
    }

    static SchedulerMBeanRegistration register(XScheduler scheduler) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = ObjectName.getInstance("dev.xsched:type=XScheduler,name=" + ObjectName.quote(scheduler.name()));
            SchedulerMBeanRegistration bean = new SchedulerMBeanRegistration(scheduler, name);
            server.registerMBean(bean, name);
            return bean;
        } catch (InstanceAlreadyExistsException e) {
            LOG.log(System.Logger.Level.WARNING, "an MBean for scheduler " + scheduler.name() + " exists already; not registering");
            return null;
        } catch (JMException e) {
            LOG.log(System.Logger.Level.WARNING, "could not register the MBean of scheduler " + scheduler.name(), e);
            return null;
        }
    }

    void unregister() {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
        } catch (JMException e) {
            LOG.log(System.Logger.Level.DEBUG, "MBean of scheduler " + scheduler.name() + " was already gone", e);
        }
    }

    @Override
    public String getName() {
        return scheduler.name();
    }

    @Override
    public String getActivePolicy() {
        return scheduler.policyName();
    }

    @Override
    public void setActivePolicy(String name) {
        scheduler.setPolicy(name);
    }

    @Override
    public List<String> getInstalledPolicies() {
        return Policies.names();
    }

    @Override
    public int getQueueCount() {
        return scheduler.queues().size();
    }

    @Override
    public long getDecisionCount() {
        return scheduler.decisionCount();
    }

    @Override
    public long getPolicyFailureCount() {
        return scheduler.policyFailureCount();
    }

    @Override
    public List<QueueInfo> getQueues() {
        return scheduler.queues().stream().map(q -> {
            XQueueStats s = q.stats();
            return new QueueInfo(q.id(), q.name(), s.suspended(), s.buffered(), s.inFlight(), s.submitted(), s.launched(),
                    s.completed(), s.dropped());
        }).toList();
    }
}
