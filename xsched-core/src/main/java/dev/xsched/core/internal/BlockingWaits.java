package dev.xsched.core.internal;

import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.Stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Blocks a thread, without a spinning core, until a queue's sync point completes, although the
 * sync point's own event is a plain one that a blocking synchronize would spin on.
 *
 * <p>Why sync points are plain events: they are polled on the caller's path (a synchronous
 * waiter's spin, the completion thread's linger), and on an H100 (round 48, twenty JVMs) polling
 * an event made with {@code BLOCKING_SYNC} noticed its completion about 1 us later than polling a
 * plain one, and in one JVM of twenty about 30 us later on every wait while the plain event in the
 * same JVM was not late at all. Blocking still needs a {@code BLOCKING_SYNC} event, so a thread
 * that must block takes a watch of its own, a stream and such an event, makes the stream wait on
 * the device for the sync point's event and records its event after that wait, then blocks on it:
 * two more driver calls, paid only by a thread that blocks, never by one that polls.
 *
 * <p>Each watch serves one thread at a time (a stream shared by two blocked threads would hold the
 * earlier sync point's waiter until the later one's wait ended, in stream order). Watches are made
 * when first needed, kept for the next blocked wait, and freed by {@link #close}, which the queue
 * calls once no thread can wait any more (its completion thread stopped, its direct waiters left).
 *
 * <p>Thread-safe: the pool is guarded by its own lock, held only to take or return a watch.
 */
final class BlockingWaits implements AutoCloseable {
    private final Stream queueStream;
    private final ReentrantLock lock = new ReentrantLock();
    /** Watches not in use. Guarded by {@link #lock}. */
    private final ArrayDeque<Watch> idle = new ArrayDeque<>();
    /** Every watch made and not yet freed, in use or not. Guarded by {@link #lock}. */
    private final List<Watch> all = new ArrayList<>();
    /** Guarded by {@link #lock}. */
    private boolean closed;

    /** For the sync points of {@code queueStream}; watch streams are made on its device, at its priority. */
    BlockingWaits(Stream queueStream) {
        this.queueStream = queueStream;
    }

    /**
     * Returns once {@code syncPoint} (an event recorded on the queue's stream) completed, blocking
     * rather than spinning meanwhile. A failure of the device (its sticky error) is thrown, as the
     * event's own synchronize would throw it.
     *
     * @throws IllegalStateException after {@link #close}
     */
    void await(Event syncPoint) {
        Watch watch = take();
        boolean usable = false;
        try {
            watch.blockUntil(syncPoint);
            usable = true;
        } finally {
            if (usable) {
                give(watch);
            } else {
                discard(watch); // its stream or event failed: not trusted for another wait
            }
        }
        // The watch's event completes only after the sync point did, so this is one query; it also
        // reports a failure of the device that the watch stream's wait did not.
        if (!syncPoint.isComplete()) {
            syncPoint.synchronize(); // never expected: stream order says it completed
        }
    }

    /** Frees every watch; later waits throw. Call once no thread waits (none can be in {@link #await}). */
    @Override
    public void close() {
        List<Watch> toFree;
        lock.lock();
        try {
            closed = true;
            toFree = new ArrayList<>(all);
            all.clear();
            idle.clear();
        } finally {
            lock.unlock();
        }
        RuntimeException failure = null;
        for (Watch watch : toFree) {
            failure = watch.free(failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** How many watches exist (tests: one per thread that blocked at once, at most). */
    int watches() {
        lock.lock();
        try {
            return all.size();
        } finally {
            lock.unlock();
        }
    }

    private Watch take() {
        lock.lock();
        try {
            if (closed) {
                throw closedError();
            }
            Watch watch = idle.pollFirst();
            if (watch != null) {
                return watch;
            }
        } finally {
            lock.unlock();
        }
        // Made outside the lock (driver calls); in the pool only once whole.
        Watch made = Watch.make(queueStream);
        lock.lock();
        try {
            if (closed) {
                made.free(null);
                throw closedError();
            }
            all.add(made);
            return made;
        } finally {
            lock.unlock();
        }
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("the queue's blocking waits are closed (the queue shut down)");
    }

    private void give(Watch watch) {
        lock.lock();
        try {
            if (!closed) {
                idle.addFirst(watch); // the warmest first
            }
        } finally {
            lock.unlock();
        }
    }

    private void discard(Watch watch) {
        lock.lock();
        try {
            if (!all.remove(watch)) {
                return; // a close took it already and frees it
            }
        } finally {
            lock.unlock();
        }
        RuntimeException failure = watch.free(null);
        if (failure != null) {
            System.getLogger(QueueCore.class.getName()).log(System.Logger.Level.DEBUG,
                    "a failed blocking wait's stream or event could not be freed", failure);
        }
    }

    /** A stream of its own and a {@code BLOCKING_SYNC} event recorded on it after each device-side wait. */
    private record Watch(Stream stream, Event event) {
        static Watch make(Stream queueStream) {
            Stream stream = queueStream.device().createStream(queueStream.priority());
            try {
                return new Watch(stream,
                        queueStream.device().createEvent(EnumSet.of(EventFlag.BLOCKING_SYNC, EventFlag.DISABLE_TIMING)));
            } catch (RuntimeException e) {
                throw closeInto(stream::close, e);
            }
        }

        /** Blocks until {@code syncPoint} completed: the stream waits for it on the device, then records the event. */
        void blockUntil(Event syncPoint) {
            stream.waitFor(syncPoint);
            stream.record(event);
            event.synchronize();
        }

        /** Frees the event and the stream; returns {@code failure} with what failed here added. */
        RuntimeException free(RuntimeException failure) {
            failure = closeInto(event::close, failure);
            return closeInto(stream::close, failure);
        }

        private static RuntimeException closeInto(Runnable close, RuntimeException failure) {
            try {
                close.run();
                return failure;
            } catch (RuntimeException e) {
                return Failures.add(failure, e);
            }
        }
    }
}
