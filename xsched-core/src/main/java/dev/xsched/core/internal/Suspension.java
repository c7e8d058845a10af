package dev.xsched.core.internal;

import java.util.List;

/**
 * Suspends and resumes a queue's releases, with what that does to its yieldable launches
 * ({@link YieldController} holds their state; this class moves the queue's buffer and counters
 * with it).
 *
 * <p>A suspend while yieldable launches are in flight raises the stop flag, and their blocks stop
 * early. Once everything released has completed, the launches that stopped go back to the head
 * of the buffer in order (the sequence counters step back to the first of them), or are dropped
 * when the queue closes with DROP; when the queue is resumed the flag comes down and releases go
 * on, the first of them behind a wait for that write.
 *
 * <p>Holds no state of its own: what it changes is guarded by the queue's state lock, which it
 * takes itself, never across the flag's write (a native call).
 */
final class Suspension {
    private final QueueState state;
    private final Releaser releaser;

    Suspension(QueueState state, Releaser releaser) {
        this.state = state;
        this.releaser = releaser;
    }

    /**
     * Stops releases ({@code true}) or lets them go on; on a resume, releases what may go.
     *
     * @param fresh whether this is a decision taken after the queue's latest state was known (a
     *              local policy's round, an answer that just arrived from a server, a fail-open),
     *              which ends the hold of a flag another process raised; a source's cached answer,
     *              applied again by a later round, may predate that raise and does not
     */
    void setSuspended(boolean suspend, boolean fresh) {
        boolean raise = false;
        boolean lower = false;
        state.lock();
        try {
            state.suspensionTime.changing(state.suspended, suspend);
            state.suspended = suspend;
            if (fresh) {
                state.yield.decided(); // a flag another process raised is held no longer than this
            }
            if (suspend) {
                raise = state.yield.raise(state.completedSeq);
            } else {
                // Settled (nothing released left to complete): the flag comes down as usual.
                // Otherwise gated commands in flight may be what holds it: they wait for it.
                lower = settleYield() || state.yield.startOpeningGates(state.completedSeq);
            }
        } finally {
            state.unlock();
        }
        if (raise) {
            try {
                state.yield.writeFlag(); // the yieldable launches in flight stop at their next check
            } catch (RuntimeException e) {
                state.fail(null, e);
            }
        }
        if (lower) {
            lowerStopFlag();
        }
        if (!suspend) {
            releaser.drain();
        }
    }

    /**
     * Called under the state lock. Once everything released completed: puts the launches that
     * stopped early back at the head of the buffer (or drops them when closing with DROP), and
     * when the queue is not suspended starts lowering the stop flag.
     *
     * @return whether the caller must call {@link #lowerStopFlag()} (outside the lock)
     */
    boolean settleYield() {
        if (!state.yield.wantsSettling() || state.issuing != 0 || state.launchedSeq != state.syncPoints.coveredSeq()
                || !state.syncPoints.isEmpty()) {
            return false;
        }
        List<Command.YieldableLaunch> stopped = state.yield.takeStopped();
        if (!stopped.isEmpty()) {
            long first = stopped.getFirst().seq();
            if (state.yield.dropsStopped()) {
                state.dropped += stopped.size();
                state.life.dropped(first);
                state.yield.discarded(stopped);
                state.completedSeq = state.launchedSeq;
            } else {
                state.yield.countYielded(stopped.size());
                for (int i = stopped.size() - 1; i >= 0; i--) {
                    state.buffer.addFirst(stopped.get(i));
                }
                // They count as not yet released: the threshold, sync points and waiters see them again.
                state.launchedSeq = first - 1;
                state.syncPoints.coverUpTo(first - 1);
                state.completedSeq = first - 1;
            }
        }
        return state.yield.startLowering(state.suspended);
    }

    /**
     * Writes the stop flag down (a native call: never under the state lock), then lets releases
     * go on, the first of them behind a wait for that write, and releases what may go: while the
     * flag was coming down, a resume or a completion found releases stopped and left them, and no
     * other drain may follow (a close that opens the device gate is followed by none). Called
     * during a release of this queue (a completion polled at the threshold), the drain is left to
     * that release ({@link LaunchGate}).
     */
    void lowerStopFlag() {
        try {
            state.yield.writeFlag();
        } catch (RuntimeException e) {
            state.fail(null, e);
            return;
        }
        state.lock();
        try {
            state.yield.lowered();
        } finally {
            state.unlock();
        }
        releaser.drain();
    }
}
