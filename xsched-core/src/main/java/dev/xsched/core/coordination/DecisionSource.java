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
     * Called once by the scheduler before any {@link #decide}. {@code redecide} asks the scheduler
     * to call {@link #decide} again soon (for example when an answer arrived); it may be called from
     * any thread and never blocks.
     *
     * @param schedulerName the scheduler's name, for the source's logs and the server's views
     * @param redecide      wakes the scheduling thread for a new round
     */
    void attach(String schedulerName, Runnable redecide);

    /**
     * Called on the scheduling thread after every event, with every queue in creation order.
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
