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
 */
public record XQueueStats(long submitted, long launched, long completed, long dropped, int buffered, int inFlight,
                          boolean suspended) {
}
