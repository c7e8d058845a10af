package dev.xsched.ipc.server;

import dev.xsched.core.SchedulerClock;
import dev.xsched.core.coordination.ServerSocketPath;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link SchedulerServer} runs.
 *
 * @param socket           the Unix domain socket's path
 * @param policy           the policy's name ({@code Policies})
 * @param parameters       the policy's parameters, overriding properties and environment
 * @param allowedUsers     user names allowed besides the server's own user (checked with SO_PEERCRED)
 * @param allowedGroups    group names whose members are allowed
 * @param writeBufferBytes the most bytes queued for one client before its connection is closed
 * @param clock            the scheduler clock
 * @param jmx              whether to register the scheduler MBean
 */
public record ServerOptions(Path socket, String policy, Map<String, String> parameters, Set<String> allowedUsers,
                            Set<String> allowedGroups, int writeBufferBytes, SchedulerClock clock, boolean jmx) {
    /** The default write buffer per client: 1 MiB, tens of thousands of small decisions. */
    public static final int DEFAULT_WRITE_BUFFER_BYTES = 1 << 20;

    /**
     * Checks and copies the values.
     *
     * @param socket           the socket's path
     * @param policy           the policy's name
     * @param parameters       its parameters; copied
     * @param allowedUsers     extra users; copied
     * @param allowedGroups    allowed groups; copied
     * @param writeBufferBytes bytes queued per client at most, &gt;= 64 KiB
     * @param clock            the scheduler clock
     * @param jmx              whether to register the MBean
     * @throws IllegalArgumentException if the write buffer is below 64 KiB
     */
    public ServerOptions {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(policy, "policy");
        parameters = Map.copyOf(parameters);
        allowedUsers = Set.copyOf(allowedUsers);
        allowedGroups = Set.copyOf(allowedGroups);
        Objects.requireNonNull(clock, "clock");
        if (writeBufferBytes < 64 * 1024) {
            throw new IllegalArgumentException("write buffer must be >= 64 KiB, got " + writeBufferBytes);
        }
    }

    /**
     * The default socket, {@code hpf}, only this user, a 1 MiB write buffer per client, the system
     * clock, JMX on.
     *
     * @return the options of a plain {@code xsched server}
     * @throws java.io.UncheckedIOException if the default socket needs the uid and it cannot be read
     */
    public static ServerOptions defaults() {
        return new ServerOptions(ServerSocketPath.defaultPath(), "hpf", Map.of(), Set.of(), Set.of(),
                DEFAULT_WRITE_BUFFER_BYTES, SchedulerClock.system(), true);
    }

    /**
     * A copy listening at another socket.
     *
     * @param socket the socket's path; its folder is created 0700 if missing
     * @return the new options
     */
    public ServerOptions withSocket(Path socket) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, writeBufferBytes, clock, jmx);
    }

    /**
     * A copy with another policy (checked when the server starts).
     *
     * @param policy     an installed policy's name
     * @param parameters its parameters
     * @return the new options
     */
    public ServerOptions withPolicy(String policy, Map<String, String> parameters) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, writeBufferBytes, clock, jmx);
    }

    /**
     * A copy that also lets in these users and the members of these groups. The socket's folder
     * must then be reachable by them (mode 0770 and the right group): the server never opens it
     * to everyone.
     *
     * @param users  user names
     * @param groups group names
     * @return the new options
     */
    public ServerOptions withAllowed(Set<String> users, Set<String> groups) {
        return new ServerOptions(socket, policy, parameters, users, groups, writeBufferBytes, clock, jmx);
    }

    /**
     * A copy with another per-client write buffer.
     *
     * @param bytes the most bytes queued for one client before it is cut off, &gt;= 64 KiB
     * @return the new options
     * @throws IllegalArgumentException if {@code bytes} is below 64 KiB
     */
    public ServerOptions withWriteBufferBytes(int bytes) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, bytes, clock, jmx);
    }

    /**
     * A copy with the MBean registered or not.
     *
     * @param jmx whether to register it
     * @return the new options
     */
    public ServerOptions withJmx(boolean jmx) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, writeBufferBytes, clock, jmx);
    }
}
