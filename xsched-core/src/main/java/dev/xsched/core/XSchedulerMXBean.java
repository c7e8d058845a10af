package dev.xsched.core;

import javax.management.ConstructorParameters;
import java.util.List;

/**
 * The JMX view of one {@link XScheduler}, registered as
 * {@code dev.xsched:type=XScheduler,name=<scheduler name>}: its queues with their states and
 * counters, the active policy, and switching it at run time (for example from JConsole).
 */
public interface XSchedulerMXBean {
    /**
     * The scheduler's name, also the {@code name} key of the object name.
     *
     * @return {@link XScheduler#name()}
     */
    String getName();

    /**
     * The policy that decides now; with a scheduler server, the server's description.
     *
     * @return {@link XScheduler#policyName()}
     */
    String getActivePolicy();

    /**
     * Switches to an installed policy by name, with its parameters from system properties and the
     * environment of the scheduler's JVM; takes effect at the scheduling thread's next step.
     *
     * @param name one of {@link #getInstalledPolicies()}
     * @throws IllegalArgumentException if no installed policy has that name
     */
    void setActivePolicy(String name);

    /**
     * The policies {@link #setActivePolicy} accepts.
     *
     * @return the installed policies' names, sorted
     */
    List<String> getInstalledPolicies();

    /**
     * The queues not yet closed.
     *
     * @return their number
     */
    int getQueueCount();

    /**
     * Scheduling rounds so far.
     *
     * @return {@link XScheduler#decisionCount()}
     */
    long getDecisionCount();

    /**
     * Times the policy threw (and the scheduler let every queue run).
     *
     * @return {@link XScheduler#policyFailureCount()}
     */
    long getPolicyFailureCount();

    /**
     * Every open queue's state, in creation order.
     *
     * @return a snapshot per queue (an open-type composite in JMX clients)
     */
    List<QueueInfo> getQueues();

    /** One queue's state and counters, as of the call (see {@link XQueueStats}). */
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

        /**
         * A snapshot; JMX rebuilds it from its composite form through this constructor.
         *
         * @param id        the queue's id
         * @param name      the queue's name
         * @param suspended whether releases are stopped
         * @param buffered  commands held host-side
         * @param inFlight  commands released and not yet known complete
         * @param submitted commands accepted so far
         * @param launched  commands released so far
         * @param completed commands known complete so far
         * @param dropped   commands discarded unrun so far
         */
        @ConstructorParameters({"id", "name", "suspended", "buffered", "inFlight", "submitted", "launched", "completed", "dropped"})
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

        /**
         * The queue's id.
         *
         * @return {@link XQueue#id()}
         */
        public long getId() {
            return id;
        }

        /**
         * The queue's name.
         *
         * @return {@link XQueue#name()}
         */
        public String getName() {
            return name;
        }

        /**
         * Whether the policy has stopped the queue's releases.
         *
         * @return true while suspended
         */
        public boolean isSuspended() {
            return suspended;
        }

        /**
         * Commands held host-side, not yet released.
         *
         * @return the count
         */
        public int getBuffered() {
            return buffered;
        }

        /**
         * Commands released to the hardware and not yet known complete (at most the threshold).
         *
         * @return the count
         */
        public int getInFlight() {
            return inFlight;
        }

        /**
         * Commands accepted since the queue was created.
         *
         * @return the count
         */
        public long getSubmitted() {
            return submitted;
        }

        /**
         * Commands released since the queue was created.
         *
         * @return the count
         */
        public long getLaunched() {
            return launched;
        }

        /**
         * Commands known complete since the queue was created.
         *
         * @return the count
         */
        public long getCompleted() {
            return completed;
        }

        /**
         * Commands discarded unrun (close with DROP, or after a failure).
         *
         * @return the count
         */
        public long getDropped() {
            return dropped;
        }
    }
}
