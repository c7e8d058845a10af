package dev.xsched.core.coordination;

import dev.xsched.hip.Device;
import dev.xsched.hip.RegisteredHostMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * One word of a {@link StopWordFile}: a 32-bit counter that other processes advance to stop the
 * queue that waits on it ({@link dev.xsched.core.XQueue#armRemoteStop}). Its address for other
 * processes is the file's {@link #path()} and the word's {@link #offset()}. Closing it gives the
 * word back to its file. Thread-safe.
 */
public final class StopWord implements AutoCloseable {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final StopWordFile file;
    private final long offset;
    private final MemorySegment words;
    private volatile boolean closed;

    StopWord(StopWordFile file, long offset) {
        this.file = file;
        this.offset = offset;
        this.words = file.words();
    }

    /**
     * The file that holds the word, which other processes map to advance it.
     *
     * @return its path
     */
    public Path path() {
        return file.path();
    }

    /**
     * Where the word lies in its file.
     *
     * @return its offset in bytes, a multiple of 4
     */
    public long offset() {
        return offset;
    }

    /**
     * The word's value now (a volatile read of shared memory).
     *
     * @return the value
     * @throws IllegalStateException if the file was closed
     */
    public int value() {
        return (int) INT.getVolatile(words, offset);
    }

    /**
     * Advances the word by one (an atomic add), as a raiser in another process does: the owner
     * does it to release its own wait before it stops waiting.
     *
     * @return the value after the add
     * @throws IllegalStateException if the file was closed
     */
    public int advance() {
        return (int) INT.getAndAdd(words, offset, 1) + 1;
    }

    /**
     * The file's memory registered for {@code device}, in which this word lies at {@link #offset()}.
     *
     * @param device the device whose streams wait on the word
     * @return the registration, made on first use and owned by the file
     * @throws IllegalStateException if the file was closed
     */
    public RegisteredHostMemory registrationFor(Device device) {
        return file.registrationFor(device);
    }

    /** Gives the word back to its file; only the first call does anything. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            file.free(offset);
        }
    }

    @Override
    public String toString() {
        return "StopWord[" + file.path() + "+" + offset + "]";
    }
}
