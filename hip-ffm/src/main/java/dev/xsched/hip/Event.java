package dev.xsched.hip;

import java.lang.foreign.MemorySegment;

/**
 * A marker in a stream's command sequence ({@code hipEvent_t}, {@code CUevent}). Recorded through
 * {@link CommandQueue#record(Event)}; completes when every command before it has completed. Made
 * by {@link Device#createEvent(java.util.Set)} and owned by the caller, who closes it. It may be
 * used from any thread.
 */
public interface Event extends AutoCloseable {
    /**
     * Whether the work before the last record has completed ({@code hipEventQuery},
     * {@code cuEventQuery}); a non-blocking query.
     *
     * @return true when complete or never recorded, false while the recorded work is pending
     * @throws HipException          if the query reports an error other than "not ready"
     * @throws IllegalStateException if the event is closed
     */
    boolean isComplete();

    /**
     * Waits until {@link #isComplete()} ({@code hipEventSynchronize}, {@code cuEventSynchronize}):
     * spinning a core, or blocking the thread for an event made with
     * {@link EventFlag#BLOCKING_SYNC}.
     *
     * @throws HipException          if the wait fails, for example because a kernel faulted
     * @throws IllegalStateException if the event is closed
     */
    void synchronize();

    /**
     * Milliseconds between {@code start} and this event, both recorded and complete
     * ({@code hipEventElapsedTime}, {@code cuEventElapsedTime}). The GPU's timestamps have a
     * resolution of about half a microsecond; on the simulated platform the difference of the
     * simulated completion times.
     *
     * @param start an event of the same platform, recorded before this one
     * @return the elapsed time in milliseconds
     * @throws IllegalStateException if either event is closed, or this one was made with
     *                               {@link EventFlag#DISABLE_TIMING}
     * @throws HipException          if an event was never recorded or {@code start} has no timing
     *                               ({@link HipError#INVALID_HANDLE}), or one has not completed
     *                               ({@link HipError#NOT_READY})
     */
    float elapsedMillis(Event start);

    /**
     * The native event, {@code hipEvent_t} on AMD or {@code CUevent} on NVIDIA, as a zero-length
     * address segment, for other libraries' calls. Valid while this event is open.
     *
     * @return the handle, {@code MemorySegment.ofAddress} of the native pointer
     *
     * @throws IllegalStateException         if this event is closed
     * @throws UnsupportedOperationException if the platform has no native events (the simulated one)
     */
    default MemorySegment nativeHandle() {
        throw new UnsupportedOperationException("event " + this + " has no native handle: its platform has no native "
                + "events (a simulated event exists only in the simulator)");
    }

    /**
     * Destroys the event ({@code hipEventDestroy}, {@code cuEventDestroy}); only the first call does
     * anything. A record still pending completes anyway, as the drivers allow.
     *
     * @throws HipException if the driver call fails
     */
    @Override
    void close();
}
