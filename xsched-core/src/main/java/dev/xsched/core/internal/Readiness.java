package dev.xsched.core.internal;

import dev.xsched.core.SchedulerClock;

import java.util.function.BooleanSupplier;

/**
 * Whether a queue holds work (buffered or in flight) and since when, which is what a policy reads
 * as "ready"; and who tells the scheduler when the queue goes idle.
 *
 * <p>Usually the thread that sees the queue go idle tells the scheduler at once. When that thread
 * is not the completion thread but the completion thread will look at the queue soon anyway
 * (it waits on the same sync point, lingers over the burst's uncovered work in a timed wait, or
 * was woken by the burst's first release and has not looked yet), telling is left to the
 * completion thread: a synchronous waiter that saw its own sync point complete then returns
 * without paying for waking the scheduling thread, after the device finished. The scheduler hears
 * of it when the completion thread looks: at the end of the linger's quiet period (50 us by
 * default) at the latest. The notice is dropped if work came meanwhile (the scheduler was told of
 * that). While the completion thread sleeps, or polls (it may not look for a millisecond), the
 * thread that saw the idleness tells.
 *
 * <p>Guarded by the queue's state lock, under which every method is called; it takes no lock of
 * its own. The listener is called under that lock: it only enqueues, never calls back.
 */
final class Readiness {
    private final QueueCore queue;
    private final QueueListener listener;
    private final SchedulerClock clock;
    /** Whether the calling thread is the queue's completion thread. */
    private final BooleanSupplier onCompletionThread;
    /** Whether the queue has a completion thread (threaded mode): without one, nobody would take a notice. */
    private final BooleanSupplier hasCompletionThread;

    /** Whether the queue holds work, and since when (scheduler clock; -1 while not). */
    private boolean ready;
    private long readySince = -1;
    /**
     * Whether the completion thread will look at the queue again without another wake-up: it waits
     * on (or has just seen complete) a sync point, lingers, or was woken and has not looked yet.
     */
    private boolean completionThreadWillLook;
    /** When the queue went idle, if telling the scheduler was left to the completion thread; -1: nothing left. */
    private long idleNoticeAt = -1;

    Readiness(QueueCore queue, QueueListener listener, SchedulerClock clock, BooleanSupplier onCompletionThread,
              BooleanSupplier hasCompletionThread) {
        this.queue = queue;
        this.listener = listener;
        this.clock = clock;
        this.onCompletionThread = onCompletionThread;
        this.hasCompletionThread = hasCompletionThread;
    }

    /** The queue holds work from {@code now}; whether it had none before (then the caller tells the scheduler). */
    boolean markReady(long now) {
        if (ready) {
            return false;
        }
        ready = true;
        readySince = now;
        return true;
    }

    boolean isReady() {
        return ready;
    }

    /** Since when the queue holds work; -1 while it holds none. */
    long readySince() {
        return readySince;
    }

    /** Reports idle if the queue was ready and {@code holdsNothing} (its {@link QueueState#holdsNothing()}). */
    void checkIdle(boolean holdsNothing) {
        if (!ready || !holdsNothing) {
            return;
        }
        ready = false;
        readySince = -1;
        long now = clock.nanoTime();
        if (completionThreadWillLook && !onCompletionThread.getAsBoolean()) {
            idleNoticeAt = now; // the completion thread tells the scheduler when it returns
        } else {
            listener.onIdle(queue, now);
        }
    }

    /**
     * The queue failed: it releases nothing more, so it holds no work a policy could schedule,
     * whatever it still has in flight (work launched without a sync point is never observed after
     * a failure, so waiting for it to complete would keep the queue ready for good). Reports idle
     * at once if it was ready; a later completion finds it idle already.
     */
    void failed() {
        if (!ready) {
            return;
        }
        ready = false;
        readySince = -1;
        listener.onIdle(queue, clock.nanoTime());
    }

    /**
     * For the completion thread: it will look at the queue again by itself ({@code true}: it waits
     * on a sync point or lingers in a timed wait), or it is about to sleep until woken, or to poll.
     */
    void completionThreadWillLook(boolean willLook) {
        completionThreadWillLook = willLook;
    }

    /** The release that starts a burst woke the completion thread (if the queue has one): it will look. */
    void completionThreadWoken() {
        if (hasCompletionThread.getAsBoolean()) {
            completionThreadWillLook = true;
        }
    }

    /**
     * For the completion thread: when the queue went idle, if telling the scheduler was left to
     * it and the queue is still idle; else -1. Either way the notice is taken.
     */
    long takeIdleNotice() {
        long at = idleNoticeAt;
        idleNoticeAt = -1;
        return ready ? -1 : at;
    }
}
