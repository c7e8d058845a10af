package dev.xsched.core.internal;

import dev.xsched.hip.Event;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads other than the completion thread that look at a queue's sync point themselves (a
 * waiter in {@link Completions#awaitSettled}, a submitter polling at the threshold), so that the
 * driver wakes them directly rather than through the completion thread. It counts them, because
 * their events must stay alive meanwhile: a shutdown waits until none is left.
 *
 * <p>Its count is guarded by the queue's state lock, the same lock and condition as the queue's
 * counters; it takes no lock of its own.
 */
final class DirectWaiters {
    /**
     * How long a waiter polls the event that ends its wait before blocking on it. A stream's
     * synchronize spins for as long as it takes (the drivers' default scheduling while cores are
     * free), and the wake-up from a blocking wait costs 5-15 us; 20 us was too short for a 20 us
     * kernel (its round trip paid that wake-up at the median on the H200). Past this the waiter
     * blocks, so a long wait does not keep a core busy.
     */
    private static final long SPIN_NANOS = 100_000;

    private final QueueCore queue;
    /** The queue's state lock and its condition. */
    private final ReentrantLock lock;
    private final Condition changed;
    /** Threads looking at a sync point's event now. Guarded by {@link #lock}. */
    private int count;

    DirectWaiters(QueueCore queue, ReentrantLock lock, Condition changed) {
        this.queue = queue;
        this.lock = lock;
        this.changed = changed;
    }

    /** Called under {@link #lock}: one more thread will look at a sync point's event. */
    void enter() {
        count++;
    }

    /**
     * Waits for {@code point}'s event on this thread (polling it first for up to {@link #SPIN_NANOS}
     * if {@code spin}), then records its completion and that of every older one. The caller
     * {@link #enter entered} first.
     */
    void observe(SyncPoint point, boolean spin) {
        try {
            Event event = point.event();
            long deadline = System.nanoTime() + (spin ? SPIN_NANOS : 0);
            while (!event.isComplete()) {
                if (System.nanoTime() - deadline >= 0) {
                    event.synchronize();
                    break;
                }
                Thread.onSpinWait();
            }
            queue.completedUpTo(point);
            // What this completion lets go (commands held back by the threshold) is released here:
            // the completion thread may never see this sync point, so it would not.
            queue.drain();
        } catch (RuntimeException e) {
            queue.syncPointFailed(e);
        } finally {
            done();
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
            done();
        }
    }

    /** A direct waiter no longer looks at an event: a shutdown waiting to free them may go on. */
    private void done() {
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
}
