package dev.xsched.core.coordination;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Where the scheduler server's socket lies unless told otherwise; clients and server agree on it. */
public final class ServerSocketPath {
    /** The socket's file name inside its folder. */
    public static final String FILE_NAME = "xsched.sock";

    private ServerSocketPath() {
    }

    /**
     * The default socket of this process's user: {@code $XDG_RUNTIME_DIR/xsched/xsched.sock},
     * else {@code <java.io.tmpdir>/xsched-<uid>/xsched.sock} ({@code /tmp/xsched-<uid>/xsched.sock}
     * unless {@code java.io.tmpdir} says otherwise; server and clients must agree on it).
     *
     * @return the path; neither the file nor its folder need exist
     * @throws java.io.UncheckedIOException if the uid is needed and {@code /proc/self} cannot be read
     */
    public static Path defaultPath() {
        return defaultPath(System::getenv);
    }

    /**
     * The default with the environment read through {@code environment}.
     *
     * @param environment looks up an environment variable by name (null: unset)
     * @return the path, as {@link #defaultPath()}
     * @throws java.io.UncheckedIOException if the uid is needed and {@code /proc/self} cannot be read
     */
    public static Path defaultPath(Function<String, String> environment) {
        String runtime = environment.apply("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            return Path.of(runtime, "xsched", FILE_NAME);
        }
        return Path.of(System.getProperty("java.io.tmpdir", "/tmp"), "xsched-" + currentUid(), FILE_NAME);
    }

    /**
     * This process's user id (Linux: the owner of {@code /proc/self}), the {@code <uid>} of the
     * default socket's folder.
     *
     * @return the uid
     * @throws java.io.UncheckedIOException if {@code /proc/self} cannot be read
     * @throws IllegalStateException if the file system has no {@code unix:uid} attribute (not Unix)
     */
    public static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read this process's uid from /proc/self", e);
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException("the scheduler server needs a Unix file system (unix:uid attribute)", e);
        }
    }
}
