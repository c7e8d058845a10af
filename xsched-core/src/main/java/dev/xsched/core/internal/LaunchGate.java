package dev.xsched.core.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Serialises everything a queue issues to its stream: one thread at a time releases, and a thread
 * that finds another releasing does not wait for it but leaves a request that the holder honours
 * before it lets go, so no thread blocks on a release and no request is lost. (A submitter first
 * spins for a few microseconds, {@link #drainAfterSubmit()}, to keep releasing its own work.) The
 * holder's own drains (from code its release calls) are requests too: releases never nest, so
 * each one issues its command and that command's sync point before any other release of the
 * queue begins.
 *
 * <p>Its lock is taken before the queue's state lock, never after it.
 */
final class LaunchGate {
    /**
     * How long a thread that must hold the gate spins before it parks, and a submitter before it
     * leaves its work to the holder: the holder makes one or two native calls of a few
     * microseconds each, so a park and the wake-up after cost more.
     */
    private static final long SPIN_NANOS = 10_000;

    private final ReentrantLock lock = new ReentrantLock();
    /** Set by a drain that found {@link #lock} taken: its holder looks once more. Thread-safe. */
    private final AtomicBoolean requested = new AtomicBoolean();
    /** Releases what the queue's state allows; called with {@link #lock} held; how many it released. */
    private final IntSupplier release;

    /** How long {@link #drainAfterSubmit()} spins for a held gate before it leaves the work to the holder. */
    private final long submitSpinNanos;

    LaunchGate(IntSupplier release) {
        this(release, SPIN_NANOS);
    }

    /** With a submitter's spin of {@code submitSpinNanos} (tests make it long, to be deterministic). */
    LaunchGate(IntSupplier release, long submitSpinNanos) {
        this.release = release;
        this.submitSpinNanos = submitSpinNanos;
    }

    /**
     * Releases what may go, on this thread unless the gate is held (then its holder does it, also
     * when the holder is this thread further up its stack). Safe to call from any thread at any
     * time without the queue's state lock: it never waits for the gate, but a release it runs
     * takes the state lock and makes native calls (gate before state lock, and no native call
     * under it).
     *
     * @return the number of commands released by this call
     */
    int drain() {
        requested.set(true);
        if (lock.isHeldByCurrentThread()) {
            // This thread is already releasing, further up its stack: a release of this queue
            // woke a queue blocked on its record, whose release woke this one in turn. The lock
            // is reentrant, so a tryLock would nest a second release inside the first, between
            // its command and that command's sync point; the nested one could record the sync
            // point that ends a close's wait, and the close could then close the stream before
            // the outer release records its own (seen in the API stress). Leave the work to the
            // outer release instead: it looks again before it lets go of the gate.
            return 0;
        }
        return honourRequests();
    }

    /**
     * {@link #drain()} for the thread that just submitted: if another thread holds the gate, it
     * first spins briefly for it, and releases on this thread if it gets it. Left to the holder,
     * the submitter's work stays with it: buffering a command is cheaper than launching one, so a
     * submitter that keeps submitting keeps the holder releasing for as long as it does, and every
     * command then crosses from one thread to the other through the queue's state (round 14 on
     * the H200: the completion thread issued nearly every launch of a back-to-back run, 1.09-1.33x
     * the stream's time). Only if the spin runs out does it leave the work to the holder.
     *
     * @return the number of commands released by this call
     */
    int drainAfterSubmit() {
        if (lock.isHeldByCurrentThread()) {
            return drain(); // releasing further up this thread's stack: drain() leaves it to that release
        }
        if (!SpinThenLock.tryFor(lock, submitSpinNanos)) {
            return drain(); // still held: the holder honours the request that drain() leaves
        }
        int released;
        try {
            requested.set(false);
            released = release.getAsInt();
        } finally {
            lock.unlock();
        }
        return released + honourRequests();
    }

    /** Releases for every request left while the gate was held, as long as no other thread holds it. */
    private int honourRequests() {
        int released = 0;
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

    /**
     * Waits at most {@code timeoutNanos} for the gate to be free (nothing being issued), takes it
     * for an instant and does any drain asked for meanwhile. An interrupt ends the wait (false) and
     * is kept.
     *
     * @return whether the gate was free within the time
     */
    boolean awaitFree(long timeoutNanos) {
        try {
            if (!lock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        unlock();
        return true;
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
