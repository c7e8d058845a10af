package dev.xsched.core.coordination;

import java.nio.file.Path;

/**
 * Creates the {@link DecisionSource} of a scheduler server at a Unix domain socket; found through
 * {@link java.util.ServiceLoader} (the module {@code dev.xsched.ipc} provides one), so that
 * xsched-core itself holds no transport.
 */
public interface DecisionSourceProvider {
    /** A source that connects to the server at {@code socket} (in the background: never blocks on it). */
    DecisionSource connect(Path socket, String processName);
}
