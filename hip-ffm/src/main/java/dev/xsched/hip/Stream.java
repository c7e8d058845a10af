package dev.xsched.hip;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A hardware queue of one device ({@code hipStream_t}, {@code CUstream}), created with a priority
 * from the device's {@link Device#streamPriorityRange()}. Commands are asynchronous; see
 * {@link CommandQueue}. Closing a stream waits for its commands, then destroys it; using it
 * afterwards throws {@link IllegalStateException}. A stream made by other code and adopted through
 * {@link Device#adoptStream(MemorySegment)} is not owned: closing it ends this view only.
 *
 * <p>Any thread may submit: each call prepares the calling thread for the native call (on NVIDIA
 * it makes the device's primary context current). Commands run in the order their native calls
 * reached the driver, so threads that share a stream and need an order among their commands must
 * impose it themselves (or use a stream each, ordered with events).
 */
public interface Stream extends CommandQueue, AutoCloseable {
    /**
     * The device whose hardware queue this is.
     *
     * @return the device that created or adopted this stream
     */
    Device device();

    /**
     * The priority the stream was created with (lower number = higher priority); for an adopted
     * stream, what the driver reported when it was adopted.
     *
     * @return a value of the device's {@link Device#streamPriorityRange()}
     */
    int priority();

    /**
     * Whether the stream accepts commands, that is whether {@link #close()} has not been called.
     *
     * @return false once {@link #close()} was called
     */
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
     * @return the handle, {@code MemorySegment.ofAddress} of the native pointer
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
     *
     * @return true for an adopted stream, false for one this library created
     */
    default boolean isAdopted() {
        return false;
    }

    /**
     * Waits for the stream's commands ({@code hipStreamSynchronize}, {@code cuStreamSynchronize}),
     * then destroys it ({@code hipStreamDestroy}, {@code cuStreamDestroy}); an adopted stream makes
     * no native call. Only the first call does anything. The stream is destroyed even when the wait
     * fails. A simulated stream in virtual time advances the clock until it is idle, and throws
     * {@link IllegalStateException} if it never can be (it waits for an event that is never
     * recorded to completion).
     *
     * @throws HipException if the wait fails (a kernel faulted: that error, with the destroy's
     *                      attached if it failed too) or the destroy fails
     */
    @Override
    void close();
}
