package dev.xsched.ipc.server;

/**
 * Where the server reports connections: one line per connect and per disconnect (with the reason).
 * Injectable so that tests read the reasons instead of scraping a log.
 */
@FunctionalInterface
public interface ServerLog {
    /**
     * Reports one event; called on the server's thread, so it must not block for long.
     *
     * @param level   INFO for start, stop, connects, disconnects and policy switches; WARNING for
     *                refused peers and failures; ERROR when the server thread stops on an error
     * @param message one line, without a trailing newline
     */
    void line(System.Logger.Level level, String message);

    /**
     * The production log.
     *
     * @return a log writing through {@link System.Logger} {@code dev.xsched.ipc.server}
     */
    static ServerLog system() {
        System.Logger logger = System.getLogger("dev.xsched.ipc.server");
        return logger::log;
    }
}
