package dev.xsched.core;

import java.beans.ConstructorProperties;
import java.util.List;

/**
 * The JMX view of one {@link XScheduler}, registered as
 * {@code dev.xsched:type=XScheduler,name=<scheduler name>}: its queues with their states and
 * counters, the active policy, and switching it at run time (for example from JConsole).
 */
public interface XSchedulerMXBean {
    String getName();

    String getActivePolicy();

    /** Switches to an installed policy by name. */
    void setActivePolicy(String name);

    List<String> getInstalledPolicies();

    int getQueueCount();

    long getDecisionCount();

    long getPolicyFailureCount();

    List<QueueInfo> getQueues();

    /** One queue's state and counters. */
    final class QueueInfo {
        private final long id;
        private final String name;
        private final boolean suspended;
        private final int buffered;
        private final int inFlight;
        private final long submitted;
        private final long launched;
        private final long completed;
        private final long dropped;

        @ConstructorProperties({"id", "name", "suspended", "buffered", "inFlight", "submitted", "launched", "completed", "dropped"})
        public QueueInfo(long id, String name, boolean suspended, int buffered, int inFlight, long submitted, long launched,
                         long completed, long dropped) {
            this.id = id;
            this.name = name;
            this.suspended = suspended;
            this.buffered = buffered;
            this.inFlight = inFlight;
            this.submitted = submitted;
            this.launched = launched;
            this.completed = completed;
            this.dropped = dropped;
        }

        public long getId() {
            return id;
        }

        public String getName() {
            return name;
        }

        public boolean isSuspended() {
            return suspended;
        }

        public int getBuffered() {
            return buffered;
        }

        public int getInFlight() {
            return inFlight;
        }

        public long getSubmitted() {
            return submitted;
        }

        public long getLaunched() {
            return launched;
        }

        public long getCompleted() {
            return completed;
        }

        public long getDropped() {
            return dropped;
        }
    }
}
