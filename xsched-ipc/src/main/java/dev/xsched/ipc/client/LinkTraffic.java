package dev.xsched.ipc.client;

/**
 * What one process's link to the scheduler server has carried since its source was created, over
 * every connection: the frames that made it into the socket (or its bounded backlog) and the
 * decisions that came back. For attributing the traffic to work, e.g. the socket messages per
 * request of a high-priority client ({@code xsched demo --processes 2}).
 *
 * @param stateChanges   frames sent about the queues' state: created, ready, idle, closed, a hint,
 *                       blocked on another queue (the traffic a state change causes)
 * @param counterFrames  counter frames sent (at most one per queue per counters period, for
 *                       {@code xsched top}; never per state change)
 * @param decisionFrames {@code Decision} frames received
 * @param suspends       queue decisions received that suspend a queue of this process
 * @param resumes        queue decisions received that let a queue of this process run
 */
public record LinkTraffic(long stateChanges, long counterFrames, long decisionFrames, long suspends, long resumes) {
}
