package dev.xsched.ipc.server;

/**
 * Where the server reports connections: one line per connect and per disconnect (with the reason).
 * Injectable so that tests read the reasons instead of scraping a log.
 */
@FunctionalInterface
public interface ServerLog {
    void line(System.Logger.Level level, String message);

    /** Through {@link System.Logger} {@code dev.xsched.ipc.server}. */
    static ServerLog system() {
        System.Logger logger = System.getLogger("dev.xsched.ipc.server");
        return logger::log;
    }
}
