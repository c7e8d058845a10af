package dev.xsched.core.internal;

import dev.xsched.hip.Event;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The sync points of one queue: events recorded on its stream after released commands, oldest
 * first. The completion of one completes every command up to the one it covers. Completed events
 * go to a pool and are recorded again.
 *
 * <p>Not thread-safe: its queue calls it only under the queue's lock (and never records an event
 * under it; {@link #takePooled()} and {@link #recorded} bracket that native call).
 */
final class SyncPointTracker {
    /** Recorded and not yet observed complete, oldest first. */
    private final ArrayDeque<SyncPoint> pending = new ArrayDeque<>();
    /** Events whose sync point completed, ready to be recorded again. */
    private final ArrayDeque<Event> pool = new ArrayDeque<>();
    /** The last command a sync point was recorded after: later ones are not observable yet. */
    private long coveredSeq;

    long coveredSeq() {
        return coveredSeq;
    }

    /** Whether no sync point is waiting to be observed. */
    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** The oldest sync point not observed complete, or null. */
    SyncPoint oldest() {
        return pending.peekFirst();
    }

    /** The oldest pending sync point whose completion completes {@code seq}, or null. */
    SyncPoint covering(long seq) {
        for (SyncPoint point : pending) {
            if (point.coversSeq() >= seq) {
                return point;
            }
        }
        return null;
    }

    /** Whether {@code point} (this very one) is still waiting to be observed. */
    boolean isPending(SyncPoint point) {
        for (SyncPoint p : pending) {
            if (p == point) {
                return true;
            }
        }
        return false;
    }

    /** An event to record, from the pool; null when the caller must create one. */
    Event takePooled() {
        return pool.pollFirst();
    }

    /** An event {@link #takePooled() taken} whose record failed goes back, to be freed with the pool. */
    void returnUnrecorded(Event event) {
        pool.addFirst(event);
    }

    /** {@code event} was recorded after the command {@code coversSeq} at {@code at}. */
    void recorded(Event event, long coversSeq, long at) {
        coveredSeq = coversSeq;
        pending.addLast(new SyncPoint(event, coversSeq, at));
    }

    /** The oldest sync point completed: it leaves, its event goes back to the pool. */
    void completeOldest() {
        pool.addLast(pending.pollFirst().event());
    }

    /** After a failure nothing will be observed: every pending event goes to the pool (to be freed). */
    void abandon() {
        while (!pending.isEmpty()) {
            pool.addLast(pending.pollFirst().event());
        }
    }

    /**
     * Commands up to {@code seq} need no sync point: they completed on the host (a callback), or
     * launches that stopped early went back to the buffer and those after {@code seq} count as
     * never released.
     */
    void coverUpTo(long seq) {
        coveredSeq = seq;
    }

    /** Empties the tracker, returning every event it holds for the caller to free. */
    List<Event> takeAllEvents() {
        List<Event> events = new ArrayList<>(pool);
        pending.forEach(point -> events.add(point.event()));
        pool.clear();
        pending.clear();
        return events;
    }
}
