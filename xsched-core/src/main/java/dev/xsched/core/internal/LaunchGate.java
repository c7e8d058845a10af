package dev.xsched.core.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Serialises everything a queue issues to its stream: one thread at a time releases, and a thread
 * that finds another releasing does not wait for it but leaves a request that the holder honours
 * before it lets go, so no thread blocks on a release and no request is lost.
 *
 * <p>Its lock is taken before the queue's state lock, never after it.
 */
final class LaunchGate {
    /**
     * How long a thread that must hold the gate spins before it parks: the holder makes one or two
     * native calls of about a microsecond each, so a park and the wake-up after cost more.
     */
    private static final long SPIN_NANOS = 10_000;

    private final ReentrantLock lock = new ReentrantLock();
    /** Set by a drain that found {@link #lock} taken: its holder looks once more. Thread-safe. */
    private final AtomicBoolean requested = new AtomicBoolean();
    /** Releases what the queue's state allows; called with {@link #lock} held; how many it released. */
    private final IntSupplier release;

    LaunchGate(IntSupplier release) {
        this.release = release;
    }

    /**
     * Releases what may go, on this thread unless another holds the gate (then that thread does
     * it). Safe to call from any thread at any time, also with the queue's other locks held, since
     * it never waits.
     *
     * @return the number of commands released by this call
     */
    int drain() {
        int released = 0;
        requested.set(true);
        while (requested.get() && lock.tryLock()) {
            try {
                requested.set(false);
                released += release.getAsInt();
            } finally {
                lock.unlock();
            }
        }
        return released;
    }

    /** Asks for a drain without doing it: the holder, or the next caller of {@link #drain()}, looks once more. */
    void request() {
        requested.set(true);
    }

    /**
     * Runs {@code body} holding the gate, so that nothing is being issued meanwhile (waiting for
     * the gate, parked), then does any drain asked for meanwhile.
     *
     * @return what {@code body} returned
     */
    long whileHeld(LongSupplier body) {
        lock.lock();
        try {
            return body.getAsLong();
        } finally {
            unlock();
        }
    }

    /** Runs {@code body} holding the gate, spinning briefly for it first; then does any drain asked for meanwhile. */
    void whileHeldSpinning(Runnable body) {
        SpinThenLock.acquire(lock, SPIN_NANOS);
        try {
            body.run();
        } finally {
            unlock();
        }
    }

    /** Lets go of the gate held outside {@link #drain()}, then does the drain another thread left to it. */
    private void unlock() {
        lock.unlock();
        if (requested.get()) {
            drain();
        }
    }
}
