package dev.xsched.core.coordination;

import dev.xsched.hip.Device;
import dev.xsched.hip.RegisteredHostMemory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A file of stop words that this process's queues wait on and other processes advance: the shared
 * memory of the cross-process stop. A queue with a {@link StopWord} has a stream of its own wait on
 * the device until the word moves past the value it last saw, then raise the queue's stop flag
 * ({@link dev.xsched.core.XQueue#armRemoteStop}); another process that may take the GPU from it
 * stores into the word before its own first kernel (a {@link StopWordRaiser}), and the GPU's front
 * end sees the store within microseconds, with no thread of this process, or of a scheduler
 * server, on the way (8.8 us at the median and 15.3 us at P99 on an H200 under MPS,
 * {@code docs/multiprocess.md}).
 *
 * <p>The file (typically in {@code /dev/shm}) is created with mode 0600, so only processes of the
 * same user can advance its words; it is mapped once and registered once per device
 * ({@link Device#registerHostMemory}), as a driver registers a page once. Thread-safe.
 */
public final class StopWordFile implements AutoCloseable {
    /** One page: 1,024 words, far more queues than a process has. */
    public static final int WORDS = 1024;

    private final Path path;
    /** The mapping's lifetime: closing it unmaps the file. */
    private final Arena mapping;
    private final MemorySegment words;
    /** Guarded by this. */
    private final BitSet taken = new BitSet(WORDS);
    /** Guarded by this. */
    private final Map<Device, RegisteredHostMemory> registrations = new HashMap<>();
    /** Guarded by this. */
    private boolean closed;
    /** {@link #closeWhenFree()} ran: no word is handed out, and the last one given back closes the file. Guarded by this. */
    private boolean closeWhenFree;

    private StopWordFile(Path path, MemorySegment words, Arena mapping) {
        this.path = path;
        this.words = words;
        this.mapping = mapping;
    }

    /**
     * Creates the file (it must not exist), mode 0600, of {@link #WORDS} words, all 0, and maps it.
     *
     * @param path where, typically {@code /dev/shm/xsched-<uid>-<pid>-stop}
     * @return the mapped file, owned by the caller (close it once its queues closed: it is deleted)
     * @throws UncheckedIOException if the file cannot be created or mapped
     */
    public static StopWordFile create(Path path) {
        try {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            // Not deleted: the file that is in the way (another process's, or a stale one) is not ours.
            throw new UncheckedIOException("cannot create the stop-word file " + path, e);
        }
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Mapping past the end grows the file with zeros: every word starts at 0.
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, (long) WORDS * Integer.BYTES, arena);
            return new StopWordFile(path, mapped, arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            deleteQuietly(path);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot map the stop-word file " + path, io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * The default place of this process's file: {@code /dev/shm/xsched-<uid>-<pid>-stop} where
     * {@code /dev/shm} exists, else the same name in {@code java.io.tmpdir}.
     *
     * @return the path; the file need not exist
     */
    public static Path defaultPath() {
        Path shm = Path.of("/dev/shm");
        Path folder = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir", "/tmp"));
        return folder.resolve("xsched-" + ServerSocketPath.currentUid() + "-" + ProcessHandle.current().pid() + "-stop");
    }

    /**
     * The file's path, which the processes that advance its words open.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * A free word, 0-based index times 4 as its offset; close the word to give it back.
     *
     * @return the word
     * @throws IllegalStateException if every word is taken, or the file is closed or
     *                               {@linkplain #closeWhenFree() closing}
     */
    public synchronized StopWord allocate() {
        if (closed || closeWhenFree) {
            throw new IllegalStateException("stop-word file " + path + " is closed");
        }
        int index = taken.nextClearBit(0);
        if (index >= WORDS) {
            throw new IllegalStateException("every one of the " + WORDS + " stop words of " + path + " is taken");
        }
        taken.set(index);
        return new StopWord(this, (long) index * Integer.BYTES);
    }

    /** The mapped words. */
    MemorySegment words() {
        return words;
    }

    /** Gives a word back; the last one closes the file after {@link #closeWhenFree()}. */
    void free(long offset) {
        boolean last;
        synchronized (this) {
            taken.clear((int) (offset / Integer.BYTES));
            last = closeWhenFree && !closed && taken.isEmpty();
        }
        if (last) {
            try {
                close();
            } catch (RuntimeException e) {
                // The caller is a queue closing its word: the file's unregistration is not its failure.
                System.getLogger(StopWordFile.class.getName()).log(System.Logger.Level.WARNING,
                        "closing the stop-word file " + path + " after its last word failed", e);
            }
        }
    }

    /**
     * The file's registration for {@code device}, made on first use and kept until {@link #close()}.
     *
     * @throws IllegalStateException if the file is closed
     */
    synchronized RegisteredHostMemory registrationFor(Device device) {
        if (closed) {
            throw new IllegalStateException("stop-word file " + path + " is closed");
        }
        RegisteredHostMemory registered = registrations.get(device);
        if (registered == null) {
            registered = device.registerHostMemory(words);
            registrations.put(device, registered);
        }
        return registered;
    }

    /**
     * Closes the file once every word it handed out is given back, at once if none is taken; no
     * word is handed out from now on. For an owner that goes before the queues holding its words:
     * a scheduler closes its decision source first, then its queues, whose streams wait on the
     * file until each queue's close ends its wait and gives its word back. A failure of the
     * deferred close is logged, not thrown to the queue whose word was the last.
     */
    public void closeWhenFree() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closeWhenFree = true;
            if (!taken.isEmpty()) {
                return;
            }
        }
        close();
    }

    /**
     * Unregisters the file from every device, unmaps and deletes it. Call once the queues whose
     * words it holds are closed (their waits on it ended), or use {@link #closeWhenFree()}.
     */
    @Override
    public void close() {
        List<RegisteredHostMemory> registered;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            registered = new ArrayList<>(registrations.values());
            registrations.clear();
        }
        RuntimeException failure = null;
        for (RegisteredHostMemory memory : registered) {
            try {
                memory.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        mapping.close();
        deleteQuietly(path);
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a file left in /dev/shm is freed with the next reboot; nothing here depends on it
        }
    }

    @Override
    public String toString() {
        return "StopWordFile[" + path + "]";
    }
}
