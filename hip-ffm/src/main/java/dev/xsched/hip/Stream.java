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
    @Override
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
     * Whether {@link #waitUntilEquals} is available here: on NVIDIA (the driver's stream memory
     * operations, {@code cuStreamWaitValue32}) and on the simulator; not on AMD, where
     * {@code hipStreamWaitValue32} needs memory allocated as signal memory, which this library does
     * not allocate.
     *
     * @return whether this stream can wait for a word of device memory
     */
    default boolean supportsMemoryWait() {
        return false;
    }

    /**
     * Enqueues a wait that the device performs: what is enqueued on this stream after it starts
     * once the 32-bit word at the start of {@code word} equals {@code value}
     * ({@code cuStreamWaitValue32(..., CU_STREAM_WAIT_VALUE_EQ)}). The stream's front end waits; no
     * compute unit is held meanwhile. The word is read on the device: write it with a copy on
     * another stream (or from a kernel). A word that never takes the value holds the stream, and
     * whatever synchronizes with it, forever.
     *
     * @param word  device memory of this stream's device, at least 4 bytes, 4-byte aligned
     * @param value the value the word must hold
     * @throws UnsupportedOperationException if {@link #supportsMemoryWait()} is false
     * @throws IllegalStateException         if this stream or {@code word} is closed
     * @throws IllegalArgumentException      if {@code word} is of another platform or device,
     *                                       smaller than 4 bytes or not 4-byte aligned
     * @throws HipException                  if the driver refuses the wait
     */
    default void waitUntilEquals(DeviceMemory word, int value) {
        Objects.requireNonNull(word, "word");
        if (!isOpen()) {
            throw new IllegalStateException("stream is closed: " + this);
        }
        throw new UnsupportedOperationException("stream " + this + " cannot wait for device memory on platform '"
                + device().platform().name() + "' (supportsMemoryWait() is false)");
    }

    /**
     * Enqueues a wait that the device performs on registered host memory: what is enqueued on this
     * stream after it starts once the 32-bit word at {@code offset} has reached {@code value}, in
     * wrap-around order: {@code (int) (word - value) >= 0}
     * ({@code cuStreamWaitValue32(..., CU_STREAM_WAIT_VALUE_GEQ)}). A counter that other processes
     * advance by plain stores (no GPU call of theirs) thus releases the work behind the wait; no
     * compute unit is held meanwhile. A word that never gets there holds the stream, and whatever
     * synchronizes with it, forever: the caller advances the word itself to release it before it
     * closes the stream or the registration. A pending wait is work of the device's context, so
     * calls that wait for the whole context wait for it too: on NVIDIA a {@code cuMemFree} and a
     * {@code cuModuleLoadData} blocked until the word moved (H100, 2026-12-05). hip-ffm's such
     * calls tell the device's {@link Device#onDeviceWideCalls listeners} first, so that the owner
     * of the wait can let it go around them; the same calls made by code outside hip-ffm (another
     * library's {@code cudaFree} in this process) are not seen, and still wait for the word.
     *
     * @param memory memory registered for this stream's device
     * @param offset the word's offset in {@code memory}, 4-byte aligned, at most
     *               {@code memory.byteSize() - 4}
     * @param value  the value the word must reach
     * @throws UnsupportedOperationException if this stream cannot wait for memory
     *                                       ({@link #supportsMemoryWait()}) or its device cannot
     *                                       register host memory
     * @throws IllegalStateException         if this stream or {@code memory} is closed
     * @throws IllegalArgumentException      if {@code memory} was registered for another device,
     *                                       or {@code offset} is out of range or not 4-byte aligned
     * @throws HipException                  if the driver refuses the wait
     */
    default void waitUntilAtLeast(RegisteredHostMemory memory, long offset, int value) {
        Objects.requireNonNull(memory, "memory");
        if (!isOpen()) {
            throw new IllegalStateException("stream is closed: " + this);
        }
        throw new UnsupportedOperationException("stream " + this + " cannot wait for host memory on platform '"
                + device().platform().name() + "'");
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
