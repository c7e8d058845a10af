package dev.xsched.hip;

/**
 * A marker in a stream's command sequence ({@code hipEvent_t}). Recorded through
 * {@link CommandQueue#record(Event)}; completes when every command before it has completed.
 */
public interface Event extends AutoCloseable {
    /** Whether the work before the last record has completed ({@code hipEventQuery}). */
    boolean isComplete();

    /** Waits until {@link #isComplete()} ({@code hipEventSynchronize}). */
    void synchronize();

    /**
     * Milliseconds between {@code start} and this event, both recorded and complete
     * ({@code hipEventElapsedTime}).
     */
    float elapsedMillis(Event start);

    @Override
    void close();
}
