package dev.xsched.core.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How the queue's completion thread waits for its next task, so that a thread that gives it one
 * wakes it only when it would not look again by itself.
 *
 * <p>Waking a parked thread is a system call on the waker's path: on the H200's host (round 14)
 * a synchronous round trip through an XQueue paid for up to three of them (the completion thread
 * woken for the command's burst, again for the waiter's sync point, and the scheduling thread),
 * which a stream's round trip does not. A completion thread in a timed wait (lingering for a
 * releaser's sync point, or for a moment after the queue went idle) looks at the queue again when
 * its wait ends, at most {@code Completions}' linger later, so nobody wakes it for work that can
 * wait that long: only a thread that parked without a timeout needs a wake for everything, and
 * one in a timed wait only for what it should see at once (a releaser's sync point, a close).
 *
 * <p>Guarded by the queue's state lock, under which every method is called; it takes no lock of
 * its own. Only the completion thread waits on its condition.
 */
final class CompletionWake {
    private enum Waiting { NOT, WITH_TIMEOUT, WITHOUT_TIMEOUT }

    private final Condition condition;
    private Waiting waiting = Waiting.NOT;

    CompletionWake(ReentrantLock lock) {
        this.condition = lock.newCondition();
    }

    /** For the completion thread: waits until woken or {@code nanos} passed; keeps an interrupt for later. */
    void awaitNanos(long nanos) {
        waiting = Waiting.WITH_TIMEOUT;
        try {
            condition.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting = Waiting.NOT;
        }
    }

    /** For the completion thread: waits until woken. */
    void await() {
        waiting = Waiting.WITHOUT_TIMEOUT;
        try {
            condition.awaitUninterruptibly();
        } finally {
            waiting = Waiting.NOT;
        }
    }

    /** Whether the completion thread is in a timed wait: it looks at the queue again unwoken. */
    boolean looksAgainUnwoken() {
        return waiting == Waiting.WITH_TIMEOUT;
    }

    /** There is work for the completion thread that may wait for its timed wait to end: wakes it only if it has none. */
    void wakeIfParked() {
        if (waiting == Waiting.WITHOUT_TIMEOUT) {
            wake();
        }
    }

    /** There is something the completion thread should see at once: wakes it from any wait. */
    void wake() {
        if (waiting != Waiting.NOT) {
            waiting = Waiting.NOT; // one signal is enough until it waits again
            condition.signal();
        }
    }
}
