package dev.xsched.hip;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A hardware queue of one device ({@code hipStream_t}), created with a priority from the device's
 * {@link Device#streamPriorityRange()}. Commands are asynchronous; see {@link CommandQueue}.
 * Closing a stream waits for its commands, then destroys it; using it afterwards throws
 * {@link IllegalStateException}. A stream made by other code and adopted through
 * {@link Device#adoptStream(MemorySegment)} is not owned: closing it ends this view only.
 */
public interface Stream extends CommandQueue, AutoCloseable {
    Device device();

    /** The priority the stream was created with (lower number = higher priority). */
    int priority();

    boolean isOpen();

    /**
     * Runs {@code work} at once, on the calling thread, with this stream.
     *
     * @throws IllegalStateException if the stream is closed (the work is not run)
     */
    @Override
    default void enqueue(StreamWork work) {
        Objects.requireNonNull(work, "work");
        if (!isOpen()) {
            throw new IllegalStateException("stream is closed: " + this);
        }
        work.enqueue(this);
    }

    /**
     * The native stream, {@code hipStream_t} on AMD or {@code CUstream} on NVIDIA, as a zero-length
     * address segment: hand it to another library's stream setter ({@code cublasSetStream},
     * {@code hipblasSetStream}, ...) so that its work is ordered with this stream's commands. It
     * stays valid while this stream is open; closing an owned stream destroys it.
     *
     * @throws IllegalStateException         if this stream is closed
     * @throws UnsupportedOperationException if the platform has no native streams (the simulated
     *                                       one: its streams exist only inside the simulator)
     */
    default MemorySegment nativeHandle() {
        if (!isOpen()) {
            throw new IllegalStateException("stream is closed: " + this);
        }
        throw new UnsupportedOperationException("stream " + this + " has no native handle: platform '"
                + device().platform().name() + "' has no native streams (a simulated stream exists only in the simulator)");
    }

    /**
     * Whether this stream was made by other code and adopted ({@link Device#adoptStream}): closing
     * it then neither waits for nor destroys the native stream, which stays its maker's.
     */
    default boolean isAdopted() {
        return false;
    }

    @Override
    void close();
}
