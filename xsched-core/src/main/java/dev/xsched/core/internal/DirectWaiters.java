package dev.xsched.core.internal;

import dev.xsched.hip.Event;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

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
    /** The queue's state lock, how long a thread spins for it before parking, and its condition. */
    private final ReentrantLock lock;
    private final long lockSpinNanos;
    private final Condition changed;
    /** How long a waiter polls its event before blocking on it: the queue's {@code XQueueConfig.waitSpin}. */
    private final long spinNanos;
    /** How a waiter blocks once it stops polling (the events are plain ones, on which a synchronize spins). */
    private final BlockingWaits blockingWaits;
    /** Threads looking at a sync point's event now. Guarded by {@link #lock}. */
    private int count;
    /**
     * Threads polling a sync point's event now, not yet blocked. Atomic rather than under the lock:
     * it changes on the caller's path, where taking the queue's lock twice more would cost more
     * than the completion thread's driver calls it saves.
     */
    private final AtomicInteger polling = new AtomicInteger();

    DirectWaiters(QueueCore queue, ReentrantLock lock, long lockSpinNanos, Condition changed, Duration spin,
                  BlockingWaits blockingWaits) {
        this.queue = queue;
        this.lock = lock;
        this.lockSpinNanos = lockSpinNanos;
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
     * spin if {@code polling} is not null: a stream's synchronize spins, and a blocking wait costs a
     * wake-up), then records its completion and that of every older one. The caller {@link #enter
     * entered} first.
     */
    void observe(SyncPoint point, Polling polling) {
        try {
            Event event = point.event();
            if (polling != null) {
                spinThenWait(event, polling);
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

    /** Polls {@code event} for up to the wait spin, then blocks on it (no longer counted as polling). */
    private void spinThenWait(Event event, Polling polling) {
        long deadline = System.nanoTime() + spinNanos;
        while (!event.isComplete()) {
            if (System.nanoTime() - deadline >= 0) {
                polling.end(); // the completion thread stops deferring to this thread
                blockingWaits.await(event);
                return;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Counts the calling thread as one that polls this queue's sync points until {@link
     * Polling#end}: called under {@link #lock} before it records the sync point it will poll, so
     * the completion thread, which finds that sync point when its linger ends (the record does not
     * wake it: {@link QueueState#completionWake}), already finds it counted.
     *
     * @return the count's token, or null when the queue's wait spin is zero (such a waiter blocks at once)
     */
    Polling startPolling() {
        if (spinNanos == 0) {
            return null;
        }
        polling.incrementAndGet();
        return new Polling();
    }

    /** One waiter's place in the polling count; {@link #end} is idempotent. Confined to that waiter's thread. */
    final class Polling {
        private boolean ended;

        boolean ended() {
            return ended;
        }

        void end() {
            if (!ended) {
                ended = true;
                polling.decrementAndGet();
            }
        }
    }

    /**
     * For the completion thread, about to block on {@code point}: while a waiter polls a sync point
     * of this queue (every pending one is {@code point} or later, and a waiter that sees its own
     * complete records the completion of every older one), the completion thread waits on a timer
     * instead of making its blocking wait's driver calls on the device beside the waiter's queries.
     * Nobody wakes it: a waker would pay for that on the caller's path, which is what this saves.
     *
     * @return whether it deferred at all (the caller looks at the queue again before blocking)
     */
    boolean deferToPolling(SyncPoint point, Predicate<SyncPoint> pending) {
        boolean deferred = false;
        boolean interrupted = false;
        while (polling.get() > 0 && pending.test(point)) {
            deferred = true;
            LockSupport.parkNanos(DEFER_SLICE_NANOS);
            // An interrupt would end every later park at once: this thread would spin while the
            // waiter does. Cleared here, set again on the way out, as the queue's timed waits do.
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return deferred;
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
        SpinThenLock.acquire(lock, lockSpinNanos);
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

    /**
     * How long the completion thread sleeps between looks while a waiter polls. Its timer slack
     * (50 us by default on Linux) comes on top, so a completion recorded by the waiter is taken up
     * by the completion thread (an idle notice left to it, say) within about 70 us.
     */
    static final long DEFER_SLICE_NANOS = 20_000;

    /** {@code d} in nanoseconds, or {@link Long#MAX_VALUE} / 4 for a longer one (a deadline must not overflow). */
    private static long saturatedNanos(Duration d) {
        long cap = Long.MAX_VALUE / 4;
        return d.compareTo(Duration.ofNanos(cap)) >= 0 ? cap : d.toNanos();
    }
}
