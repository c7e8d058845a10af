package dev.xsched.core.coordination;

import java.util.List;
import java.util.Map;

/**
 * Decides suspend/resume for an {@link dev.xsched.core.XScheduler}'s queues in place of its local
 * policy: for example a scheduler server that runs one policy for the queues of many processes
 * ({@link dev.xsched.core.XScheduler.Builder#server}). Commands never pass through it; it only
 * sees queue states and answers with decisions.
 *
 * <p>The scheduler still applies priority lending on top of the answer, so a running queue that
 * waits on another queue's event of the same process is never left waiting on a suspended one.
 */
public interface DecisionSource extends AutoCloseable {
    /**
     * What the scheduler offers its source: asking for a new decision round, and applying decisions
     * that arrived from elsewhere at once, on the arriving thread, instead of waiting for one.
     */
    interface Scheduling {
        /**
         * Asks the scheduler to call {@link DecisionSource#decide} again soon (for example when an answer
         * arrived). May be called from any thread; never blocks.
         */
        void redecide();

        /**
         * Applies decisions now, on the calling thread (for example a socket reader), so that a
         * decision takes effect without a hand-off to the scheduling thread. Queue ids the
         * scheduler does not know are ignored; a queue that another queue of this process waits on
         * is never suspended here (priority lending is the scheduling thread's to judge). Then asks
         * for a new round ({@link #redecide}), which reconciles with lending and with a round that
         * ran meanwhile. May be called from any thread; takes only short locks.
         *
         * @param suspended queue id to whether it is to be suspended
         */
        void apply(Map<Long, Boolean> suspended);
    }

    /**
     * Called once by the scheduler before any {@link #decide}.
     *
     * @param schedulerName the scheduler's name, for the source's logs and the server's views
     * @param scheduling    how the source asks for a new round or applies an arrived decision at once
     */
    void attach(String schedulerName, Scheduling scheduling);

    /**
     * Called one round at a time after every event, with every queue in creation order: on the
     * scheduling thread, or with {@code XScheduler.Builder#decideOnSubmit} on a thread whose
     * submission turned a queue ready (rounds never overlap, and each happens-before the next).
     * Returns whether each queue is to be suspended; a queue left out runs. Must not block: a
     * source that talks to another process only queues what changed and answers from what it
     * knows now.
     *
     * @param now    the scheduler clock's time, in nanoseconds
     * @param queues every open queue of the scheduler, in creation order
     * @return queue id to whether it is to be suspended; ids not given run
     */
    Map<Long, Boolean> decide(long now, List<ScheduledQueue> queues);

    /**
     * What decides, for logs and {@link dev.xsched.core.XScheduler#policyName()}; called from any
     * thread, so it must not block.
     *
     * @return for example the server's policy and socket
     */
    String describe();

    /**
     * Stops; from then on every queue runs. Called once by the scheduler's close, which owns the
     * source; must not throw and must not wait long (it delays the close of every queue).
     */
    @Override
    void close();
}
