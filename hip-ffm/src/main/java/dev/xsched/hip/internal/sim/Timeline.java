package dev.xsched.hip.internal.sim;

import java.util.PriorityQueue;

/**
 * The simulator's future: actions due at a time, taken in time order and, at equal times, in the
 * order they were scheduled. That tie rule is what makes a simulation deterministic.
 */
final class Timeline {
    private record Entry(long time, long order, Runnable action) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    private final PriorityQueue<Entry> entries = new PriorityQueue<>();
    private long scheduled;

    void schedule(long time, Runnable action) {
        entries.add(new Entry(time, scheduled++, action));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether an action is due at or before {@code time}. */
    boolean hasDueBy(long time) {
        Entry first = entries.peek();
        return first != null && first.time <= time;
    }

    /** The time of the next action; only when not {@link #isEmpty()}. */
    long nextTime() {
        return entries.element().time;
    }

    /** Removes and returns the next action. */
    Runnable takeNext() {
        return entries.remove().action;
    }
}
