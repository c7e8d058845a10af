package dev.xsched.hip.internal.sim;

/**
 * Blocks {@code [first, first + count)} of a launch, dispatched together: they start together and
 * end together, unless a raised stop flag ends a yieldable group early. Guarded by the engine's lock.
 *
 * @see SimEngine
 */
final class BlockGroup {
    final KernelLaunch launch;
    final long first;
    final int count;
    final long start;
    final long end;
    /** The progress (in check intervals) the blocks resumed at: their state when dispatched. */
    final int startProgress;
    /** Finished or stopped: its slots are free and later timeline entries for it do nothing. */
    boolean over;
    /** A check of the stop flag is on the timeline. */
    boolean checkPending;

    BlockGroup(KernelLaunch launch, long first, int count, long start, long end, int startProgress) {
        this.launch = launch;
        this.first = first;
        this.count = count;
        this.start = start;
        this.end = end;
        this.startProgress = startProgress;
    }
}
