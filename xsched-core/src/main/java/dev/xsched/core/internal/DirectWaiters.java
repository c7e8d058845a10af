package dev.xsched.core.internal;

import dev.xsched.hip.Event;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads other than the completion thread that look at a queue's sync point themselves (a
 * waiter in {@link Completions#awaitSettled}, a submitter polling at the threshold), so that the
 * driver wakes them directly rather than through the completion thread, and those looking at a
 * failed queue's stream ({@link QueueCore#awaitReleasedWorkIfFailed}). It counts them, because
 * their events and stream must stay alive meanwhile: a shutdown waits until none is left.
 *
 * <p>Its count is guarded by the queue's state lock, the same lock and condition as the queue's
 * counters; it takes no lock of its own.
 */
final class DirectWaiters {
    private final QueueCore queue;
    /** The queue's state lock and its condition. */
    private final ReentrantLock lock;
    private final Condition changed;
    /** How long a waiter polls its event before blocking on it: the queue's {@code XQueueConfig.waitSpin}. */
    private final long spinNanos;
    /** How a waiter blocks once it stops polling (the events are plain ones, on which a synchronize spins). */
    private final BlockingWaits blockingWaits;
    /** Threads looking at a sync point's event now. Guarded by {@link #lock}. */
    private int count;

    DirectWaiters(QueueCore queue, ReentrantLock lock, Condition changed, Duration spin, BlockingWaits blockingWaits) {
        this.queue = queue;
        this.lock = lock;
        this.changed = changed;
        this.spinNanos = saturatedNanos(spin);
        this.blockingWaits = blockingWaits;
    }

    /** Called under {@link #lock}: one more thread will look at a sync point's event. */
    void enter() {
        count++;
    }

    /**
     * Waits for {@code point}'s event on this thread (polling it first for up to the queue's wait
     * spin if {@code spin}: a stream's synchronize spins, and a blocking wait costs a wake-up),
     * then records its completion and that of every older one. The caller {@link #enter entered}
     * first.
     */
    void observe(SyncPoint point, boolean spin) {
        try {
            Event event = point.event();
            if (spin) {
                spinThenWait(event);
            } else if (!event.isComplete()) {
                blockingWaits.await(event); // no clock read: it is not free on every host (see Command.UNTIMED)
            }
            queue.completedUpTo(point);
            // What this completion lets go (commands held back by the threshold) is released here:
            // the completion thread may never see this sync point, so it would not.
            queue.drain();
        } catch (RuntimeException e) {
            queue.syncPointFailed(e);
        } finally {
            leave();
        }
    }

    /** Polls {@code event} for up to the wait spin, then blocks on it. */
    private void spinThenWait(Event event) {
        long deadline = System.nanoTime() + spinNanos;
        while (!event.isComplete()) {
            if (System.nanoTime() - deadline >= 0) {
                blockingWaits.await(event);
                return;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Whether {@code point} had completed, looked at without blocking; records that if so. The
     * caller {@link #enter entered} first.
     */
    boolean completedWhenPolled(SyncPoint point) {
        try {
            if (!point.event().isComplete()) {
                return false;
            }
            queue.completedUpTo(point);
            return true;
        } catch (RuntimeException e) {
            queue.syncPointFailed(e);
            return false;
        } finally {
            leave();
        }
    }

    /**
     * A thread that {@link #enter entered} no longer looks at an event or the stream: a shutdown
     * waiting to free them may go on.
     */
    void leave() {
        SpinThenLock.acquire(lock, QueueState.LOCK_SPIN_NANOS);
        try {
            count--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Called under {@link #lock}: blocks until no thread looks at an event (theirs complete: the queue settled). */
    void awaitNone() {
        while (count > 0) {
            changed.awaitUninterruptibly();
        }
    }

    /** {@code d} in nanoseconds, or {@link Long#MAX_VALUE} / 4 for a longer one (a deadline must not overflow). */
    private static long saturatedNanos(Duration d) {
        long cap = Long.MAX_VALUE / 4;
        return d.compareTo(Duration.ofNanos(cap)) >= 0 ? cap : d.toNanos();
    }
}
