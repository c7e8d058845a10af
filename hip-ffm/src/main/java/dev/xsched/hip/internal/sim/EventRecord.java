package dev.xsched.hip.internal.sim;

/** Completes {@code event}'s record {@code generation} when it reaches the head of its stream. */
final class EventRecord extends Command {
    final EventState event;
    final long generation;

    EventRecord(long seq, StreamState stream, EventState event, long generation) {
        super(seq, stream);
        this.event = event;
        this.generation = generation;
    }
}
