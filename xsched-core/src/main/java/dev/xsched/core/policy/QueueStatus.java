package dev.xsched.core.policy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a policy sees of one queue at a scheduling decision: an immutable snapshot.
 *
 * @param id             the queue's id, stable for its lifetime
 * @param name           a name for logs
 * @param deviceIndex    the device the queue submits to
 * @param ready          whether it has work (buffered or in flight)
 * @param readySince     when it last became ready (scheduler clock), or -1 when idle
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
    public QueueStatus {
        hints = Map.copyOf(hints);
        lendersOf = Set.copyOf(lendersOf);
    }

    /** The latest hint of this type. */
    public <H extends Hint> Optional<H> hint(Class<H> type) {
        return Optional.ofNullable(type.cast(hints.get(type)));
    }

    /** The priority hint, 0 when none was given. */
    public int priority() {
        return hint(Hint.Priority.class).map(Hint.Priority::value).orElse(0);
    }
}
