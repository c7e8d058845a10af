package dev.xsched.core.internal;

import dev.xsched.core.SchedulerClock;
import dev.xsched.core.internal.jfr.SyncPointCompleted;

/**
 * Completes a queue's commands as its sync points complete, and lets threads wait for that.
 *
 * <p>Three kinds of thread see a sync point complete: the completion thread ({@link
 * CompletionObserver}), which waits on every one in turn; a thread in {@link #awaitSettled}, which
 * waits on the one that ends its wait itself ({@link DirectWaiters}), so the driver wakes it
 * directly; and a submitter at the threshold that polls one. Whichever is first records the
 * completion ({@link #completed}); the others find the sync point no longer pending and do nothing.
 *
 * <p>Holds no state of its own: the counters and sync points it reads and changes are guarded by
 * the queue's state lock, which it takes itself.
 */
final class Completions {
    private final QueueCore queue;
    private final SchedulerClock clock;
    private final QueueListener listener;
    private final QueueState state;
    private final Readiness readiness;
    private final Releaser releaser;
    private final Suspension suspension;
    private final DirectWaiters directWaiters;
    private final UncoveredLinger uncoveredLinger;
    /** Whether the completion thread polls when idle; the completion thread's alone, under the state lock. */
    private final IdlePoll idlePoll;

    Completions(QueueCore queue, SchedulerClock clock, QueueListener listener, QueueState state, Readiness readiness,
                Releaser releaser, Suspension suspension, DirectWaiters directWaiters, UncoveredLinger uncoveredLinger,
                IdlePoll idlePoll) {
        this.queue = queue;
        this.clock = clock;
        this.listener = listener;
        this.state = state;
        this.readiness = readiness;
        this.releaser = releaser;
        this.suspension = suspension;
        this.directWaiters = directWaiters;
        this.uncoveredLinger = uncoveredLinger;
        this.idlePoll = idlePoll;
    }

    /** What the completion thread should do next. */
    sealed interface Observable {
        /** Wait for this sync point. */
        record Pending(SyncPoint point) implements Observable {
        }

        /** Released work has no sync point yet: record one. */
        record Uncovered() implements Observable {
        }

        /** The queue closed: stop. */
        record Closed() implements Observable {
        }

        /** The queue went idle at {@code at} while this thread was waiting: tell the scheduler. */
        record IdleNotice(long at) implements Observable {
        }
    }

    /** Blocks until there is something for the completion thread to observe. */
    Observable awaitObservable() {
        boolean interrupted = false;
        state.lock();
        try {
            // Back from what it last returned (a sync point observed, perhaps after long GPU work):
            // the window runs from now, not from when that began.
            idlePoll.sawWorkNow();
            UncoveredLinger.Wait linger = null; // null: not lingering yet
            while (true) {
                long idleAt = readiness.takeIdleNotice();
                if (idleAt >= 0) {
                    return new Observable.IdleNotice(idleAt);
                }
                SyncPoint oldest = state.syncPoints.oldest();
                if (oldest != null) {
                    readiness.completionThreadWillLook(true);
                    return new Observable.Pending(oldest);
                }
                if (state.life.isClosed()) {
                    return new Observable.Closed();
                }
                if (state.launchedSeq > state.syncPoints.coveredSeq() && !state.life.hasFailed()) {
                    long now = System.nanoTime();
                    if (linger == null) {
                        linger = uncoveredLinger.begin(now, state.launchedSeq);
                    }
                    long left = linger.remaining(now, state.launchedSeq);
                    if (left <= 0) {
                        return new Observable.Uncovered();
                    }
                    // Nothing but a release that starts a burst, a releaser's sync point, a failure
                    // or a close ends this wait early (QueueState.completionWake): a waiter that
                    // records the burst's sync point and sees it complete meanwhile does so without
                    // waking this thread, and leaves the idle notice to it (Readiness).
                    readiness.completionThreadWillLook(true);
                    interrupted |= awaitNanosUninterruptibly(left);
                    continue;
                }
                // Covered meanwhile (a waiter recorded its own sync point and saw it complete):
                // the next burst's wait starts afresh. Kept, a wait begun a request ago would have
                // passed its cap by then and record a sync point after that burst's first release.
                linger = null;
                readiness.completionThreadWillLook(false); // asleep or polling: whoever sees the queue go idle tells
                long poll = idlePoll.waitNanosNow();
                if (poll > 0) {
                    state.completionThreadPolls = true; // a burst's first release no longer wakes this thread
                    try {
                        interrupted |= awaitNanosUninterruptibly(poll);
                    } finally {
                        state.completionThreadPolls = false;
                    }
                } else {
                    state.completionWake.awaitUninterruptibly();
                    // Woken, so the queue did something (a release, a sync point, a close): the
                    // window runs from here. What woke it may be gone by the time it looks (a
                    // waiter recorded and saw the burst's sync point complete itself), so counting
                    // only what it finds would leave a waited-on queue never polling.
                    idlePoll.sawWorkNow();
                }
            }
        } finally {
            state.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits on the completion thread's condition ({@link QueueState#completionWake}) for up to {@code nanos}.
     *
     * @return whether an interrupt came, which the caller sets again once it stops waiting: set
     *         again at once, it would end every later timed wait at once, and the thread would spin
     *         for as long as it polls or lingers
     */
    private boolean awaitNanosUninterruptibly(long nanos) {
        try {
            state.completionWake.awaitNanos(nanos);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    /** Whether released work has no sync point yet and none older is pending: time to record one. */
    boolean hasUncoveredWork() {
        return state.locked(() -> state.syncPoints.isEmpty() && state.launchedSeq > state.syncPoints.coveredSeq()
                && !state.life.hasFailed());
    }

    /** Whether {@code point} has not been seen complete yet. */
    boolean isPending(SyncPoint point) {
        return state.locked(() -> state.syncPoints.isPending(point));
    }

    /**
     * Where the releases stand beyond {@code point}, for the completion thread deciding whether to
     * leave the point to the releaser ({@link ReleaserDeferral}): null unless {@code point} is still
     * pending, commands were released after it, and the queue is neither suspended, failed nor
     * closed.
     */
    ReleaserDeferral.Ahead releasedBeyond(SyncPoint point) {
        state.lock();
        try {
            boolean ahead = state.syncPoints.isPending(point)
                    && state.launchedSeq > point.coversSeq()
                    && !state.suspended && !state.life.hasFailed() && !state.life.isClosed();
            return ahead ? new ReleaserDeferral.Ahead(state.launchedSeq, !state.buffer.isEmpty()) : null;
        } finally {
            state.unlock();
        }
    }

    SyncPoint oldestSyncPoint() {
        return state.locked(state.syncPoints::oldest);
    }

    /**
     * The oldest sync point, {@code point}, completed. A no-op if it is no longer the oldest: the
     * completion thread and a waiter may both observe it.
     *
     * @return whether this call recorded the completion (false: another thread had)
     */
    boolean completed(SyncPoint point) {
        return completed(point, true);
    }

    /**
     * As {@link #completed(SyncPoint)}; {@code watched} says whether the caller saw {@code point}
     * itself complete while looking for it (rather than a newer one, or after looking away): only
     * then is the time since its record its drain time rather than a bound on it, for an adaptive
     * window ({@link ReleaseWindow#drained}).
     */
    boolean completed(SyncPoint point, boolean watched) {
        long commands;
        boolean lower;
        state.lock();
        try {
            if (state.syncPoints.oldest() != point) {
                return false;
            }
            state.syncPoints.completeOldest();
            if (state.window.adaptive() && point.recordedAt() != SyncPoint.UNTIMED) {
                state.window.drained(clock.nanoTime() - point.recordedAt(), watched);
            }
            commands = point.coversSeq() - state.completedSeq;
            state.completedSeq = Math.max(state.completedSeq, state.yield.completedUpTo(point.coversSeq()));
            lower = suspension.settleYield();
            readiness.checkIdle(state.holdsNothing());
            if (state.suspended && readiness.isReady() && state.completedSeq == state.launchedSeq) {
                listener.onSuspendedTailDrained(queue);
            }
            state.changed.signalAll();
        } finally {
            state.unlock();
        }
        if (lower) {
            suspension.lowerStopFlag();
        }
        if (SyncPointCompleted.isOn() && point.recordedAt() != SyncPoint.UNTIMED) {
            SyncPointCompleted.emit(queue.id(), commands, clock.nanoTime() - point.recordedAt());
        }
        return true;
    }

    /** {@code point}'s event completed: records that, and that of every older one (events complete in stream order). */
    void completedUpTo(SyncPoint point) {
        while (true) {
            SyncPoint oldest = state.locked(() -> state.syncPoints.isPending(point) ? state.syncPoints.oldest() : null);
            if (oldest == null) {
                break; // another thread was first
            }
            completed(oldest, oldest == point);
            if (oldest == point) {
                break;
            }
        }
    }

    /** Observing a sync point failed: the queue fails, and nothing pending will be observed. */
    void syncPointFailed(RuntimeException e) {
        state.fail(null, e);
        state.lock();
        try {
            state.syncPoints.abandon();
        } finally {
            state.unlock();
        }
    }

    /**
     * Blocks until a wait for {@code seq} may end (threaded mode); never throws.
     *
     * <p>Once {@code seq} is released, the waiting thread observes the sync point that covers it
     * itself (recording one if none does yet), so the driver wakes it directly: otherwise the
     * completion thread would wake first and then wake it, two wake-ups on the path of every
     * synchronous request. Before that, it observes the oldest sync point, whose completion may
     * release more (polling it first too when it covers all the queue's released work, so that
     * the next release does not wait for a wake-up while the device idles). The completion thread still observes every sync point for releases, idleness
     * and yield; whichever thread sees one complete first records it and releases what follows.
     * The looking itself (and the count that keeps the events alive) is {@code DirectWaiters}'.
     */
    void awaitSettled(long seq) {
        DirectWaiters.Polling polling = null; // counted while this thread records or polls a sync point
        try {
            while (true) {
                SyncPoint covering = null;
                boolean record = false;
                boolean spin = false;
                state.lock();
                try {
                    if (state.life.settled(seq, state.completedSeq)) {
                        return;
                    }
                    // Neither failed nor closed from here on: settled() covers both.
                    covering = state.syncPoints.covering(seq);
                    spin = covering != null; // the last wake-up before returning: worth a short spin
                    record = covering == null && state.launchedSeq >= seq && state.syncPoints.coveredSeq() < seq;
                    if (covering == null && !record) {
                        covering = state.syncPoints.oldest(); // its completion may release what this waits for
                        // When it covers everything released, the device has nothing else of this
                        // queue to run until its completion is seen and more is released (a queue
                        // at threshold 1 after each command): a blocking wait's wake-up would be a
                        // gap on the device every time, so it is worth the spin too.
                        spin = covering != null && covering.coversSeq() >= state.launchedSeq;
                    }
                    // Counted under the lock, before the record: the completion thread, looking when
                    // its linger ends, then finds this thread polling and leaves the driver alone
                    // (DirectWaiters).
                    if ((record || spin) && (polling == null || polling.ended())) {
                        polling = directWaiters.startPolling(); // again after a spin that ended blocked
                    } else if (!record && !spin && polling != null) {
                        polling.end();
                        polling = null;
                    }
                    if (covering != null) {
                        directWaiters.enter();
                    } else if (!record) {
                        // Not released yet, or a launch that stopped early: each release wakes it.
                        state.releaseWaiters++;
                        try {
                            state.changed.awaitUninterruptibly();
                        } finally {
                            state.releaseWaiters--;
                        }
                        continue;
                    }
                } finally {
                    state.unlock();
                }
                if (record) {
                    releaser.flushSyncPoint(false); // this thread watches it; the completion thread finds it by itself
                } else {
                    directWaiters.observe(covering, polling);
                }
            }
        } finally {
            if (polling != null) {
                polling.end();
            }
        }
    }
}
