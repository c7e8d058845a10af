package dev.xsched.core;

/**
 * Counters of one queue.
 *
 * @param submitted commands accepted
 * @param launched  commands released to the hardware (callbacks count when run)
 * @param completed commands known complete
 * @param dropped   commands discarded (close with DROP, or after a failure)
 * @param buffered  commands held host-side now
 * @param inFlight  commands released and not yet known complete now
 * @param suspended whether releases are stopped now
 * @param yielded   launches of yieldable kernels that stopped early on a suspend and were put back
 *                  to be launched again (a launch that yields twice counts twice)
 * @param suspensions    times releases were stopped (a queue is created stopped, until the policy's
 *                       first decision about it)
 * @param suspendedNanos scheduler-clock nanoseconds spent stopped in total, the current stop included
 * @param lastSuspendedAt when the latest stop began (the current one while {@code suspended}), on the
 *                        scheduler's clock. A queue is created stopped, so this is at first its
 *                        creation; read it with {@code suspensions}: where that rose by one since
 *                        work arrived elsewhere, the difference from the arrival is how long the
 *                        policy took to stop this queue for it.
 * @param threshold the commands in flight at most now: the configured threshold, or with a
 *                  {@linkplain XQueueConfig#drainBudget() drain budget} where the window has moved
 * @param batchSize the released commands per sync point now, likewise
 */
public record XQueueStats(long submitted, long launched, long completed, long dropped, int buffered, int inFlight,
                          boolean suspended, long yielded, long suspensions, long suspendedNanos,
                          long lastSuspendedAt, int threshold, int batchSize) {
}
