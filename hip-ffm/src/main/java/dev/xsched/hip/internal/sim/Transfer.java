package dev.xsched.hip.internal.sim;

/**
 * A copy or memset: occupies its stream (but no block slot) for {@code durationNanos}, then moves
 * the bytes. The bytes move at completion, so whoever sees the copy complete sees its data.
 */
final class Transfer extends Command {
    final String description;
    final long durationNanos;
    final Runnable move;

    Transfer(long seq, StreamState stream, String description, long durationNanos, Runnable move) {
        super(seq, stream);
        this.description = description;
        this.durationNanos = durationNanos;
        this.move = move;
    }
}
