package dev.xsched.core;

import java.util.Collection;
import java.util.TreeSet;

/**
 * The wake-ups a policy asked for ({@code SchedulingContext.wakeUpAt}), and the deadline the
 * scheduling thread waits for, so that a round on another thread (a submitter's, with
 * {@link XScheduler.Builder#decideOnSubmit}) can tell whether it must wake that thread for an
 * earlier timer.
 *
 * <p>Threads: the pending set is changed only under the scheduler's rounds lock ({@link #add},
 * {@link #takeDue}, {@link #publish}); {@link #next} and the waiting side are read and written
 * without it. The protocol that loses no wake-up: the waiting thread publishes its deadline
 * ({@link #beginWait}) and then reads the next timer again, and a round publishes the next timer
 * ({@link #publish}) and then reads the deadline ({@link #waitsPastNext}). Both are volatile
 * accesses, so at least one of the two sees the other's write: either the waiting thread sees
 * the new timer and does not block past it, or the round sees the old deadline and wakes it.
 */
final class PolicyTimers {
    /** Wake-up times, scheduler clock. Guarded by the scheduler's rounds lock. */
    private final TreeSet<Long> pending = new TreeSet<>();
    /** The earliest pending time as last published; {@link Long#MAX_VALUE} for none. */
    private volatile long next = Long.MAX_VALUE;
    /** What the scheduling thread waits for ({@link Long#MAX_VALUE}: events only); {@link Long#MIN_VALUE} while it does not wait. */
    private volatile long waitingUntil = Long.MIN_VALUE;

    /** Under the rounds lock: the wake-ups a round asked for. */
    void add(Collection<Long> wakeUps) {
        pending.addAll(wakeUps);
    }

    /** Under the rounds lock: removes the wake-ups due at {@code now}; whether there were any. */
    boolean takeDue(long now) {
        boolean any = false;
        while (!pending.isEmpty() && pending.first() <= now) {
            pending.pollFirst();
            any = true;
        }
        return any;
    }

    /** Under the rounds lock, at the end of every step (a failed one too): makes the earliest wake-up {@link #next}. */
    void publish() {
        next = pending.isEmpty() ? Long.MAX_VALUE : pending.first();
    }

    /** The earliest wake-up as last published, {@link Long#MAX_VALUE} for none; any thread. */
    long next() {
        return next;
    }

    /**
     * The scheduling thread, before it waits: publishes the deadline it is about to wait for.
     *
     * @return that deadline, or {@link Long#MIN_VALUE} if a round published another timer
     *         meanwhile (then step first, and wait again)
     */
    long beginWait() {
        long deadline = next;
        waitingUntil = deadline;
        return next == deadline ? deadline : Long.MIN_VALUE;
    }

    /** The scheduling thread, once it stops waiting. */
    void endWait() {
        waitingUntil = Long.MIN_VALUE;
    }

    /** After a round on another thread published: whether the scheduling thread waits past the earliest wake-up. */
    boolean waitsPastNext() {
        return next < waitingUntil;
    }
}
