package dev.xsched.core.internal;

import dev.xsched.hip.Event;
import dev.xsched.hip.Stream;

/**
 * Closes a queue, in two steps with a wait between them ({@code XQueue.close}):
 * {@link #beginClose} rejects submissions from then on and either lets the accepted commands run
 * (DRAIN) or drops the buffered ones (DROP); once the wait for what is left settled,
 * {@link #shutdown} ends every wait, stops the completion thread and frees the events and the
 * yield memory. (A failure, the other way a queue stops releasing, is {@link QueueState#fail}.)
 *
 * <p>Holds no state of its own: what it changes is guarded by the queue's state lock, and a drop
 * also holds the launch gate first, so that no command is half-way to the stream while the buffer
 * is emptied (lock order: launch gate, then state lock).
 */
final class QueueClosing {
    /** How long a close waits for a release under way before it leaves the queue's events unfreed. */
    static final long RELEASE_WAIT_NANOS = 10_000_000_000L;

    private static final System.Logger LOG = System.getLogger(QueueCore.class.getName());

    private final String queueName;
    private final Stream stream;
    private final QueueState state;
    private final Readiness readiness;
    private final Releaser releaser;
    private final Suspension suspension;
    private final CrossQueueWaits crossQueueWaits;
    private final CompletionObserver observer;
    private final DirectWaiters directWaiters;
    private final BlockingWaits blockingWaits;

    QueueClosing(String queueName, Stream stream, QueueState state, Readiness readiness, Releaser releaser,
                 Suspension suspension, CrossQueueWaits crossQueueWaits, CompletionObserver observer,
                 DirectWaiters directWaiters, BlockingWaits blockingWaits) {
        this.queueName = queueName;
        this.stream = stream;
        this.state = state;
        this.readiness = readiness;
        this.releaser = releaser;
        this.suspension = suspension;
        this.crossQueueWaits = crossQueueWaits;
        this.observer = observer;
        this.directWaiters = directWaiters;
        this.blockingWaits = blockingWaits;
    }

    /**
     * Starts closing: from now on submissions are rejected. With {@code drop} the buffered
     * commands are discarded unrun (and launches that stop early later are dropped instead of
     * going back), and waits that include them fail.
     *
     * @return the sequence number a close waits for: the last accepted command, or with
     *         {@code drop} the last released one
     */
    long beginClose(boolean drop) {
        long waitFor = drop ? dropAndClose() : acceptNoMore();
        // Released work cannot be recalled: what the device gate holds runs now, suspended or not
        // (and a suspend during the close holds it no more), or the close would wait for it for as
        // long as the queue stays suspended.
        letReleasedWorkRun();
        return waitFor;
    }

    /**
     * From now on the device gate holds none of the work already released: it runs, suspended or
     * not. At a close (above), and when the queue fails: it will release nothing more, and a wait
     * for what it released before ({@link QueueCore#awaitReleasedWorkIfFailed}) must not last as
     * long as a policy keeps a failed queue suspended. At most the threshold's commands run
     * against the policy's decision. Call without the state lock.
     */
    void letReleasedWorkRun() {
        // First: no other process's store may raise the flag from now on (nothing would lower it).
        state.yield.disarmRemote();
        // A flag another process raised before the close is the queue's own now (no decision is
        // waited for): lowered at once when it holds gated work, else once what it stopped settled,
        // which may be now, with nothing in flight and no completion left to do it.
        if (state.locked(() -> state.yield.openGatesForGood(state.completedSeq) || suspension.settleYield())) {
            suspension.lowerStopFlag();
        }
    }

    private long acceptNoMore() {
        state.lock();
        try {
            state.life.beginClosing();
            return state.submittedSeq;
        } finally {
            state.unlock();
        }
    }

    private long dropAndClose() {
        return releaser.whileNothingIssues(() -> {
            state.lock();
            try {
                state.life.beginClosing();
                state.dropBuffered();
                crossQueueWaits.stopWaiting(); // a wait it dropped was what held it
                state.yield.dropStoppedFromNowOn();
                readiness.checkIdle(state.holdsNothing());
                state.signalEveryone();
                return state.launchedSeq;
            } finally {
                state.unlock();
            }
        });
    }

    /**
     * Closes the queue for good: ends every wait, stops the completion thread and frees the
     * events, the blocking waits' streams and the yield memory. Call after {@link #beginClose}
     * and once its wait settled.
     */
    void shutdown() {
        state.lock();
        try {
            state.life.closed();
            // Normally its head waits for nothing by now; a close whose wait could not settle (a
            // manual scheduler that could not drain it) still holds its buffer, and releases none of it.
            crossQueueWaits.stopWaiting();
            state.signalEveryone();
        } finally {
            state.unlock();
        }
        crossQueueWaits.wakeWaiters(); // a wait on a record of this queue will never be satisfied: let it go
        // A release may still be under way: the close of a failed queue neither takes the gate nor
        // waits for released work to settle, so a thread may be issuing a command taken from the
        // buffer before the failure, and record its sync point after it. Freed under it, that
        // event would be made or recorded after the events were taken, or on the closed stream.
        // Once the gate was free, every later release finds the queue closed and issues nothing.
        // No lock is held here (gate before state lock), and the library never waits for a close
        // while holding a gate; a close from a callback of this very queue holds the gate already
        // and passes (reentrant). A host callback of another thread's release that blocks on what
        // this closer does only afterwards would hold it for good: after a bound, leak rather than
        // hang, as below.
        if (!releaser.awaitNothingIssuing(RELEASE_WAIT_NANOS)) {
            LOG.log(System.Logger.Level.WARNING, "a release on XQueue " + queueName + " did not end within "
                    + RELEASE_WAIT_NANOS / 1_000_000_000 + " s (a host callback that blocks?); its events and yield memory"
                    + " are not freed");
            return;
        }
        if (!observer.join()) {
            // Still blocked on a sync point of a failed stream: freeing its events would pull
            // them from under it. Leak them rather than crash.
            LOG.log(System.Logger.Level.WARNING,
                    "completion thread of XQueue " + queueName + " did not stop; its events are not freed");
            return;
        }
        state.lock();
        try {
            directWaiters.awaitNone(); // their events complete: the queue settled
        } finally {
            state.unlock();
        }
        if (state.locked(state.life::hasFailed)) {
            awaitReleasedWork();
        }
        try {
            state.locked(state.syncPoints::takeAllEvents).forEach(Event::close);
        } finally {
            blockingWaits.close(); // no thread can block any more: the completion thread stopped, no waiter is left
        }
        state.yield.close();
    }

    /**
     * A queue that failed settled its waits at the failure, not when the work it had released
     * completed: that work may still be in its stream, gated commands behind their memory wait on
     * the stop flag and yieldable launches with their state buffers, all memory that closing frees
     * (and that a caller told of the failure may free: {@link QueueCore#awaitReleasedWorkIfFailed}).
     * So wait for the stream (its gates were opened for good at the failure or the close, and
     * yieldable launches end at their next check, so it drains). If the stream cannot be waited
     * for, it failed as well, and nothing more of it runs to read the memory.
     */
    void awaitReleasedWork() {
        try {
            stream.synchronize();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "stream of failed XQueue " + queueName + " could not be waited for", e);
        }
    }

    /**
     * {@link #awaitReleasedWork} without waiting (a manual scheduler): whether the stream still
     * holds work; false if it cannot be looked at (a failed stream runs nothing more).
     */
    boolean releasedWorkLeft() {
        try {
            return !stream.isIdle();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "stream of failed XQueue " + queueName + " could not be queried", e);
            return false;
        }
    }
}
