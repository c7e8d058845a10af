package dev.xsched.core.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes a lock whose sections are short, spinning for a bounded time before parking. A contended
 * {@link ReentrantLock#lock()} parks almost at once, and the wake-up after the holder's unlock
 * costs several microseconds, more than the section itself: on the path of a synchronous request
 * that is the difference between a queue and a stream.
 */
final class SpinThenLock {
    private SpinThenLock() {
    }

    /**
     * Tries to acquire {@code lock} for up to {@code spinNanos}, spinning, without ever blocking.
     * An uncontended lock is taken without reading the clock.
     *
     * @return whether this thread now holds it
     */
    static boolean tryFor(ReentrantLock lock, long spinNanos) {
        if (lock.tryLock()) {
            return true;
        }
        long deadline = System.nanoTime() + spinNanos;
        do {
            Thread.onSpinWait();
            if (lock.tryLock()) {
                return true;
            }
        } while (System.nanoTime() - deadline < 0);
        return false;
    }

    /** Acquires {@code lock}, spinning for up to {@code spinNanos} before blocking. */
    static void acquire(ReentrantLock lock, long spinNanos) {
        if (!tryFor(lock, spinNanos)) {
            lock.lock();
        }
    }
}
