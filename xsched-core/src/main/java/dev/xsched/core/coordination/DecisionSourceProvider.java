package dev.xsched.core.coordination;

import java.nio.file.Path;

/**
 * Creates the {@link DecisionSource} of a scheduler server at a Unix domain socket; found through
 * {@link java.util.ServiceLoader} (the module {@code dev.xsched.ipc} provides one), so that
 * xsched-core itself holds no transport.
 */
public interface DecisionSourceProvider {
    /**
     * A source that connects to the server at {@code socket} (in the background: never blocks on
     * it, and a server that is not there yet only means every queue runs until it is).
     *
     * @param socket      the server's Unix domain socket
     * @param processName how the server lists this process (the scheduler's name)
     * @return a new source, owned by the scheduler that asked for it
     */
    DecisionSource connect(Path socket, String processName);
}
