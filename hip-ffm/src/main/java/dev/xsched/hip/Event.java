package dev.xsched.hip;

import java.lang.foreign.MemorySegment;

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

    /**
     * The native event, {@code hipEvent_t} on AMD or {@code CUevent} on NVIDIA, as a zero-length
     * address segment, for other libraries' calls. Valid while this event is open.
     *
     * @throws IllegalStateException         if this event is closed
     * @throws UnsupportedOperationException if the platform has no native events (the simulated one)
     */
    default MemorySegment nativeHandle() {
        throw new UnsupportedOperationException("event " + this + " has no native handle: its platform has no native "
                + "events (a simulated event exists only in the simulator)");
    }

    @Override
    void close();
}
