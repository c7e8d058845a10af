package dev.xsched.hip;

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

    @Override
    void close();
}
