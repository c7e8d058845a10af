package dev.xsched.hip.internal.sim;

/** Holds its stream until {@code event}'s record {@code generation} has completed (generation 0: never recorded). */
final class EventWait extends Command {
    final EventState event;
    final long generation;

    EventWait(long seq, StreamState stream, EventState event, long generation) {
        super(seq, stream);
        this.event = event;
        this.generation = generation;
    }

    boolean isSatisfied() {
        return event.hasCompleted(generation);
    }
}
