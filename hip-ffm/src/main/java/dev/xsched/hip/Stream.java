package dev.xsched.hip;

import java.util.Objects;

/**
 * A hardware queue of one device ({@code hipStream_t}), created with a priority from the device's
 * {@link Device#streamPriorityRange()}. Commands are asynchronous; see {@link CommandQueue}.
 * Closing a stream waits for its commands, then destroys it; using it afterwards throws
 * {@link IllegalStateException}.
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

    @Override
    void close();
}
