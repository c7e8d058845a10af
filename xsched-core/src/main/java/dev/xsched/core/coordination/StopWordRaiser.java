package dev.xsched.core.coordination;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The other side of a {@link StopWordFile}: advances words of other processes' files, each a store
 * to shared memory that stops the queue waiting on it before its own process hears of anything.
 * Maps each file once, on first use, and unmaps them all at {@link #close()}. Thread-safe.
 */
public final class StopWordRaiser implements AutoCloseable {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** Guarded by this. */
    private final Map<Path, MemorySegment> mapped = new HashMap<>();
    /** Guarded by this. */
    private final List<Arena> arenas = new ArrayList<>();
    /** Guarded by this. */
    private boolean closed;

    /** A raiser that has mapped no file yet. */
    public StopWordRaiser() {
    }

    /**
     * Advances the word at {@code offset} of the file at {@code path} by one.
     *
     * @param path   a stop-word file of another process, as its {@link StopWord#path()}
     * @param offset the word's offset, as its {@link StopWord#offset()}
     * @throws IllegalArgumentException if {@code offset} is not a word of such a file
     * @throws UncheckedIOException     if the file cannot be opened or mapped, or is not a stop-word
     *                                  file of this process's user (gone, another user's, a symbolic
     *                                  link, not a regular file, of another size)
     * @throws IllegalStateException    if this raiser is closed
     */
    public void raise(Path path, long offset) {
        if (offset < 0 || offset % Integer.BYTES != 0 || offset > (long) (StopWordFile.WORDS - 1) * Integer.BYTES) {
            throw new IllegalArgumentException("offset " + offset + " is not a stop word's (a multiple of 4 below "
                    + StopWordFile.WORDS * Integer.BYTES + ")");
        }
        INT.getAndAdd(segmentOf(path), offset, 1);
    }

    private synchronized MemorySegment segmentOf(Path path) {
        if (closed) {
            throw new IllegalStateException("stop-word raiser is closed");
        }
        MemorySegment segment = mapped.get(path);
        if (segment == null) {
            Arena arena = Arena.ofShared();
            // Not through a symbolic link, and only a regular file of this process's user of a
            // stop-word file's exact size: the path came from elsewhere (a scheduler server, which
            // had it from another client), and a store must never land in some other file.
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                long size = (long) StopWordFile.WORDS * Integer.BYTES;
                PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!attributes.isRegularFile()) {
                    throw new IOException("not a regular file");
                }
                int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                if (owner != ServerSocketPath.currentUid()) {
                    throw new IOException("owned by uid " + owner + ", not by this process's user");
                }
                if (channel.size() != size) {
                    throw new IOException("the file holds " + channel.size() + " bytes, not a stop-word file's " + size);
                }
                segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            } catch (IOException e) {
                arena.close();
                throw new UncheckedIOException("cannot map the stop-word file " + path, e);
            }
            arenas.add(arena);
            mapped.put(path, segment);
        }
        return segment;
    }

    /**
     * Unmaps a file whose process went away, so that a later raise maps it afresh (a new process
     * may reuse the name).
     *
     * @param path the file
     */
    public synchronized void forget(Path path) {
        mapped.remove(path); // its arena stays open until close(): a raise may still be storing into it
    }

    /** Unmaps every file; later raises throw. Call once no raise is under way. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        mapped.clear();
        arenas.forEach(Arena::close);
        arenas.clear();
    }
}
