package dev.xsched.ipc.client;

import dev.xsched.core.coordination.ServerSocketPath;
import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.ipc.protocol.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of stop-word files: where this process makes its own, and in which files a server may
 * have it advance words.
 *
 * <p>A process normally makes one, at {@link StopWordFile#defaultPath()}
 * ({@code xsched-<uid>-<pid>-stop}). Each file belongs to the {@link ServerDecisionSource} that
 * made it and goes with it, so a second source in the same process (a second scheduler, or tests)
 * makes {@code ...-stop-2}, and so on.
 *
 * <p>Advancing a word is a store into a file of this process's user, at a path that came over the
 * socket: a client of the server that lied in its {@link Message.StopWordSet} could otherwise have
 * another user's process (one the server also admits) corrupt that user's files. So words are
 * advanced only in files named as stop-word files are; those are made with mode 0600, so only the
 * owner's own processes can open them.
 *
 * <p>A file goes with its source's close, once its queues gave their words back; one this process
 * still has when it exits (it ended without closing its scheduler, as {@code System.exit} does)
 * is deleted then, so that {@code /dev/shm} does not fill up until a reboot. A killed process
 * leaves its file behind, until the next process of the same user makes its first one
 * ({@link #sweepDead}).
 */
final class StopWordFiles {
    private static final Pattern NAME = Pattern.compile("xsched-[0-9]+-[0-9]+-stop(-[0-9]+)?");
    /** Files of this process made so far (numbering the next). */
    private static final AtomicInteger MADE = new AtomicInteger();
    /** Names to try before giving up: a file in the way belongs to a process that had this pid before. */
    private static final int ATTEMPTS = 16;
    /** Files this process made, deleted at its exit if they are still there. */
    private static final Set<Path> MADE_HERE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean CLEANUP_HOOKED = new AtomicBoolean();
    /** The folder was swept of dead processes' files (once per process, at its first file). */
    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    private StopWordFiles() {
    }

    /**
     * Makes a stop-word file of this process under the next free name.
     *
     * @return the file, owned by the caller
     * @throws UncheckedIOException     if it cannot be made (no {@code /dev/shm} or temporary folder
     *                                  to write to, or every name tried is taken)
     * @throws IllegalArgumentException if its path is too long for the protocol
     */
    static StopWordFile create() {
        Path first = StopWordFile.defaultPath().toAbsolutePath();
        if (SWEPT.compareAndSet(false, true)) {
            sweepDead(first.getParent(), ServerSocketPath.currentUid());
        }
        UncheckedIOException taken = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int n = MADE.getAndIncrement();
            Path path = n == 0 ? first : first.resolveSibling(first.getFileName() + "-" + (n + 1));
            new Message.StopWordRef(path.toString(), 0); // a path the server would refuse is not worth making
            try {
                StopWordFile file = StopWordFile.create(path);
                deleteAtExit(path);
                return file;
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof FileAlreadyExistsException)) {
                    throw e;
                }
                taken = e; // left by a process that had this pid before (it crashed): not ours to delete
            }
        }
        throw taken;
    }

    /**
     * Deletes the stop-word files of this user whose process is gone (killed, so its exit hook did
     * not run): without it {@code /dev/shm} would collect one per killed client until a reboot. A
     * file whose pid is alive again (reused) is left alone: it may be that process's.
     */
    static void sweepDead(Path folder, int uid) {
        Pattern mine = Pattern.compile("xsched-" + uid + "-([0-9]+)-stop(-[0-9]+)?");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "xsched-" + uid + "-*-stop*")) {
            for (Path file : files) {
                Matcher name = mine.matcher(file.getFileName().toString());
                if (name.matches() && !isAlive(name.group(1))) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Housekeeping only: a file left behind costs a page of memory, nothing else.
            System.getLogger(StopWordFiles.class.getName()).log(System.Logger.Level.DEBUG,
                    "could not sweep stale stop-word files in " + folder, e);
        }
    }

    private static boolean isAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not a pid we understand: not ours to delete
        }
    }

    private static void deleteAtExit(Path path) {
        MADE_HERE.add(path);
        if (CLEANUP_HOOKED.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("xsched-stop-word-files").unstarted(() -> {
                    for (Path made : MADE_HERE) {
                        try {
                            Files.deleteIfExists(made); // other processes' mappings of it stay valid
                        } catch (IOException ignored) {
                            // the process is ending: nothing else to do about it
                        }
                    }
                }));
            } catch (IllegalStateException shuttingDown) {
                // Made while the process exits: its source's close deletes it, if it comes.
            }
        }
    }

    /**
     * Whether {@code path} is where this process's user keeps stop-word files and named as one:
     * in the folder of {@link StopWordFile#defaultPath()} (a path that came over the socket must
     * not lead a store anywhere else; {@link dev.xsched.core.coordination.StopWordRaiser} then
     * refuses links and files of other owners or sizes).
     *
     * @param path a path from a {@link Message.RaiseOnReady}
     * @return whether its last element is {@code xsched-<uid>-<pid>-stop}, optionally followed by
     *         {@code -<n>}, with this process's uid, in that folder
     */
    static boolean isStopWordFile(Path path) {
        return isStopWordFile(path, StopWordFile.defaultPath().toAbsolutePath().getParent(), ServerSocketPath.currentUid());
    }

    static boolean isStopWordFile(Path path, Path folder, int uid) {
        Path name = path.getFileName();
        Path parent = path.toAbsolutePath().normalize().getParent();
        return name != null && NAME.matcher(name.toString()).matches() && name.toString().startsWith("xsched-" + uid + "-")
                && folder.equals(parent);
    }
}
