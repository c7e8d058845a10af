package dev.xsched.hip;

/**
 * Asynchronous GPU work that other code puts on a stream, for example a vendor library call
 * (cuBLAS, hipBLAS, cuDNN) after binding the library's handle to the stream with
 * {@code cublasSetStream(handle, stream.nativeHandle())}. Submitted with
 * {@link CommandQueue#enqueue(StreamWork)}, it is ordered with the queue's other commands.
 *
 * <p>{@link #enqueue(Stream)} is called with the stream at release time, on the thread that
 * issues the queue's commands (on a plain {@link Stream} at once, on the caller's thread; on a
 * scheduled queue possibly later, on another thread). It must only enqueue asynchronous work on
 * that stream: it must not block on the stream (no synchronize, no blocking copy), submit to the
 * queue it runs for, or keep the stream for later use. An exception it throws fails the command
 * (on a scheduled queue, the queue: nothing after it is released).
 */
@FunctionalInterface
public interface StreamWork {
    /**
     * Enqueues the work on {@code stream} without waiting for it.
     *
     * @param stream the queue's stream; on AMD and NVIDIA its {@link Stream#nativeHandle()} is what
     *               the other library's stream setter takes
     */
    void enqueue(Stream stream);
}
