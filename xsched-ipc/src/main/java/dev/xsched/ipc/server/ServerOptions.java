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
    public static final int DEFAULT_WRITE_BUFFER_BYTES = 1 << 20;

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

    /** The default socket, {@code hpf}, only this user, a 1 MiB write buffer per client, the system clock, JMX on. */
    public static ServerOptions defaults() {
        return new ServerOptions(ServerSocketPath.defaultPath(), "hpf", Map.of(), Set.of(), Set.of(),
                DEFAULT_WRITE_BUFFER_BYTES, SchedulerClock.system(), true);
    }

    public ServerOptions withSocket(Path socket) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, writeBufferBytes, clock, jmx);
    }

    public ServerOptions withPolicy(String policy, Map<String, String> parameters) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, writeBufferBytes, clock, jmx);
    }

    public ServerOptions withAllowed(Set<String> users, Set<String> groups) {
        return new ServerOptions(socket, policy, parameters, users, groups, writeBufferBytes, clock, jmx);
    }

    public ServerOptions withWriteBufferBytes(int bytes) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, bytes, clock, jmx);
    }

    public ServerOptions withJmx(boolean jmx) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, writeBufferBytes, clock, jmx);
    }
}
