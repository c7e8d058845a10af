package dev.xsched.core;

import dev.xsched.core.coordination.ServerSocketPath;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/**
 * Where automatic XQueues ({@link AutoXQueues}) take their decisions from, read from the
 * environment (a system property overrides the variable):
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>environment variable</th><th>system property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code XSCHED_SCHEDULER}</td><td>{@code xsched.scheduler}</td><td>{@code local}</td>
 *       <td>{@code local}: a scheduler in this process runs {@code XSCHED_POLICY}; {@code global}: the
 *       scheduler server ({@code xsched server}) decides for every process connected to it</td></tr>
 *   <tr><td>{@code XSCHED_SERVER_SOCKET}</td><td>{@code xsched.server.socket}</td>
 *       <td>{@link ServerSocketPath#defaultPath()}</td><td>the server's Unix domain socket</td></tr>
 * </table>
 *
 * @param global whether the server decides
 * @param socket the server's socket (meaningful when {@code global})
 */
public record AutoScheduler(boolean global, Path socket) {
    /**
     * Reads the process's environment and system properties.
     *
     * @return where decisions come from
     * @throws IllegalArgumentException for a mode other than {@code local} or {@code global}
     */
    public static AutoScheduler fromSystem() {
        return from(System::getenv, System::getProperty);
    }

    /**
     * Reads the settings through the given lookups.
     *
     * @param environment looks up an environment variable by name (null: unset); also the source of
     *                    {@code XDG_RUNTIME_DIR} for the default socket
     * @param properties  looks up a system property by name (null: unset); wins over the variable
     * @return where decisions come from
     * @throws IllegalArgumentException for a mode other than {@code local} or {@code global}
     */
    public static AutoScheduler from(Function<String, String> environment, Function<String, String> properties) {
        String mode = setting("XSCHED_SCHEDULER", environment, properties);
        mode = mode == null ? "local" : mode.toLowerCase(Locale.ROOT);
        if (!mode.equals("local") && !mode.equals("global")) {
            throw new IllegalArgumentException("XSCHED_SCHEDULER must be local or global, got '" + mode + "'");
        }
        String socket = setting("XSCHED_SERVER_SOCKET", environment, properties);
        return new AutoScheduler(mode.equals("global"),
                socket != null ? Path.of(socket) : ServerSocketPath.defaultPath(environment));
    }

    private static String setting(String name, Function<String, String> environment, Function<String, String> properties) {
        String value = properties.apply(AutoConfig.propertyName(name));
        if (value == null || value.isBlank()) {
            value = environment.apply(name);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }
}
