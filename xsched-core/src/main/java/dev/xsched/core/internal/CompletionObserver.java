package dev.xsched.core.internal;

import java.util.concurrent.ThreadFactory;

/**
 * Observes when a queue's sync points complete: in threaded mode a thread of its own blocks on
 * the oldest (through {@link BlockingWaits}, since the events are plain ones: no core spins); in manual mode
 * {@link #poll()} looks without blocking. Either way, work released but not yet covered by a
 * sync point gets one once nothing older is left to observe, so a burst shorter than a batch
 * is observed too (and the commands a submitter adds meanwhile share one event).
 */
final class CompletionObserver {
    private final QueueCore queue;
    private final BlockingWaits blockingWaits;
    /**
     * Set once by {@link #start}, before the thread runs; volatile for the releasing threads that
     * ask whether there is one ({@link #isStarted}), which the starting thread need not have handed
     * the queue to through a lock.
     */
    private volatile Thread thread;

    CompletionObserver(QueueCore queue, BlockingWaits blockingWaits) {
        this.queue = queue;
        this.blockingWaits = blockingWaits;
    }

    void start(ThreadFactory threadFactory) {
        thread = threadFactory.newThread(this::loop);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (true) {
            Completions.Observable next = queue.awaitObservable();
            switch (next) {
                case Completions.Observable.Closed closed -> {
                    return;
                }
                case Completions.Observable.Uncovered uncovered -> queue.flushSyncPoint();
                case Completions.Observable.IdleNotice idle -> queue.noticeIdle(idle.at());
                case Completions.Observable.Pending pending -> {
                    if (queue.deferToPollingWaiter(pending.point())) {
                        continue; // a waiter polled meanwhile: look again before blocking
                    }
                    if (queue.deferToReleaser(pending.point()) != ReleaserDeferral.Outcome.NOT_AHEAD) {
                        // Work was released after the point, so it has likely completed by now
                        // (another thread may have seen it already): one query instead of the
                        // blocking wait's calls. It is a look, not a wait: the point stays
                        // pending if not (and is then blocked on).
                        try {
                            if (!queue.isPending(pending.point()) || completedWhenQueried(pending.point())) {
                                continue;
                            }
                        } catch (RuntimeException e) {
                            queue.syncPointFailed(e);
                            continue;
                        }
                    }
                    try {
                        blockingWaits.await(pending.point().event());
                    } catch (RuntimeException e) {
                        queue.syncPointFailed(e);
                        continue;
                    }
                    recordCompleted(pending.point(), true);
                }
            }
        }
    }

    /**
     * Whether {@code point} completed, by one query; if so it is recorded as after a wait, but as
     * not watched: the query comes after a deferral of up to a millisecond, so the time since its
     * record bounds how long the device took rather than measures it.
     */
    private boolean completedWhenQueried(SyncPoint point) {
        if (!point.event().isComplete()) {
            return false;
        }
        recordCompleted(point, false);
        return true;
    }

    /**
     * {@code point} was seen complete: the queue learns it and releases what follows. If a waiter
     * saw it complete first, that waiter released what it lets go (DirectWaiters.observe drains):
     * a drain here would only take the release gate at the moment the waiter's thread submits its
     * next command, which then waits for this thread to issue it instead of issuing it itself.
     * {@code watched}: whether this thread waited on the point while it completed (see
     * {@link Completions#completed(SyncPoint, boolean)}).
     */
    private void recordCompleted(SyncPoint point, boolean watched) {
        if (queue.completed(point, watched)) {
            queue.drain();
        }
    }

    /**
     * Manual mode: observes completed sync points without blocking.
     *
     * @return whether anything completed (or a sync point was recorded)
     */
    boolean poll() {
        boolean any = false;
        if (queue.hasUncoveredWork()) {
            queue.flushSyncPoint();
            any = true;
        }
        while (true) {
            SyncPoint oldest = queue.oldestSyncPoint();
            if (oldest == null) {
                return any;
            }
            try {
                if (!oldest.event().isComplete()) {
                    return any;
                }
            } catch (RuntimeException e) {
                queue.syncPointFailed(e);
                return true;
            }
            queue.completed(oldest);
            any = true;
        }
    }

    /** Whether the thread was started (threaded mode). */
    boolean isStarted() {
        return thread != null;
    }

    /** Whether the calling thread is this observer's thread. */
    boolean isObserverThread() {
        return thread == Thread.currentThread();
    }

    /** Waits (bounded) for the thread to end after its queue closed; false if it has not. */
    boolean join() {
        if (thread == null || thread == Thread.currentThread()) {
            return true;
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
