package dev.xsched.ipc.client;

import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.core.coordination.DecisionSourceProvider;

import java.nio.file.Path;

/** Found by {@code XScheduler.builder().server(path)} through the ServiceLoader. */
public final class ServerDecisionSourceProvider implements DecisionSourceProvider {
    /** Called by {@link java.util.ServiceLoader}. */
    public ServerDecisionSourceProvider() {
    }

    @Override
    public DecisionSource connect(Path socket, String processName) {
        return new ServerDecisionSource(socket, processName, ClientOptions.fromEnvironment());
    }
}
