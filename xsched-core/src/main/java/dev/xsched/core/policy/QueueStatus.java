package dev.xsched.core.policy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a policy sees of one queue at a scheduling decision: an immutable snapshot.
 *
 * <p>In a scheduler server, command counters stay in the client processes (traffic is per state
 * change, never per command): {@code buffered}, {@code inFlight} and {@code launched} are 0 there,
 * and ids and {@code deviceIndex} are the server's own numbering (each GPU has its own policy there).
 *
 * @param id             the queue's id, stable for its lifetime
 * @param name           a name for logs
 * @param deviceIndex    the device the queue submits to
 * @param ready          whether it has work (buffered or in flight)
 * @param readySince     when it last became ready (scheduler clock), meaningful only while
 *                       {@code ready}; -1 otherwise, a value the clock may also read
 *                       ({@link System#nanoTime()} can be negative): test {@code ready}, not it
 * @param suspended      whether releases are currently stopped
 * @param buffered       commands held host-side
 * @param inFlight       commands released to the hardware and not yet known complete
 * @param launched       commands released since the queue was created
 * @param hints          the latest hint of each type
 * @param lendersOf      queues blocked on this queue's events: while any of them runs, this
 *                       queue is kept running whatever the policy decides (priority lending)
 */
public record QueueStatus(long id, String name, int deviceIndex, boolean ready, long readySince, boolean suspended,
                          int buffered, int inFlight, long launched, Map<Class<? extends Hint>, Hint> hints,
                          Set<Long> lendersOf) {
    /**
     * A snapshot; the maps are copied, so the record is immutable and safe to keep across rounds.
     *
     * @param id          the queue's id
     * @param name        a name for logs
     * @param deviceIndex the device the queue submits to
     * @param ready       whether it has work
     * @param readySince  when it last became ready, meaningful only while {@code ready} (else -1)
     * @param suspended   whether releases are stopped
     * @param buffered    commands held host-side
     * @param inFlight    commands released and not yet known complete
     * @param launched    commands released since creation
     * @param hints       the latest hint of each type, keyed by the hint's class
     * @param lendersOf   ids of the queues blocked on this one
     */
    public QueueStatus {
        hints = Map.copyOf(hints);
        lendersOf = Set.copyOf(lendersOf);
    }

    /**
     * The latest hint of this type.
     *
     * @param <H>  the hint type
     * @param type the hint's exact class, for example {@code Hint.Deadline.class}
     * @return the hint, or empty if the queue never got one of that type
     */
    public <H extends Hint> Optional<H> hint(Class<H> type) {
        return Optional.ofNullable(type.cast(hints.get(type)));
    }

    /**
     * The priority hint's value.
     *
     * @return in [-255, 255], larger is more important; 0 when none was given
     */
    public int priority() {
        return hint(Hint.Priority.class).map(Hint.Priority::value).orElse(0);
    }
}
