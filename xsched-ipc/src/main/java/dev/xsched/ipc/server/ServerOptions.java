package dev.xsched.ipc.server;

import dev.xsched.core.SchedulerClock;
import dev.xsched.core.coordination.ServerSocketPath;
import dev.xsched.core.SpinSetting;

import java.nio.file.Path;
import java.time.Duration;
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
 * @param allowedGroups    group names allowed by the peer's effective (primary) group id, as
 *                         SO_PEERCRED reports it; supplementary groups are not checked
 * @param writeBufferBytes the most bytes queued for one client before its connection is closed
 * @param clock            the scheduler clock
 * @param jmx              whether to register the scheduler MBean
 * @param spin             how long the server's thread checks its sockets without blocking after
 *                         each wake-up before it sleeps in the kernel: a bounded stretch of a core
 *                         for less wake-up latency on the next frame (0: never spin)
 * @param limits           bounds on connections, silent peers, queues and devices
 * @param heartbeat        how often the server pings every scheduling client
 *                         ({@link dev.xsched.ipc.protocol.Message.Ping}); its clients count the
 *                         server as lost when nothing arrives for their own server timeout
 * @param clientTimeout    how long a scheduling client may send no frame at all (no answer to the
 *                         pings either) before it is dropped as a closed one is: its queues
 *                         removed and their policies run again. Generous by default (10 s), so that
 *                         a long garbage-collection pause is not taken for a frozen process
 */
public record ServerOptions(Path socket, String policy, Map<String, String> parameters, Set<String> allowedUsers,
                            Set<String> allowedGroups, int writeBufferBytes, SchedulerClock clock, boolean jmx,
                            Duration spin, ServerLimits limits, Duration heartbeat, Duration clientTimeout) {
    /** The system property that sets {@link #spin()} in microseconds for {@link #defaults()}. */
    public static final String SPIN_PROPERTY = "xsched.server.spinMicros";
    /** The environment variable that sets {@link #spin()} in microseconds where the property is not set. */
    public static final String SPIN_VARIABLE = "XSCHED_SERVER_SPIN_US";

    /** The default write buffer per client: 1 MiB, tens of thousands of small decisions. */
    public static final int DEFAULT_WRITE_BUFFER_BYTES = 1 << 20;
    /** The default heartbeat period: a ping per scheduling client per second. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
    /** The default client timeout: ten heartbeats, longer than any garbage-collection pause a client should have. */
    public static final Duration DEFAULT_CLIENT_TIMEOUT = Duration.ofSeconds(10);

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
     * @param spin             the spin after each wake-up, 0 to 10 ms
     * @param limits           the bounds on what peers may make the server hold
     * @param heartbeat        the period of the pings, at least 1 ms
     * @param clientTimeout    how long a scheduling client may stay silent, longer than {@code heartbeat}
     * @throws IllegalArgumentException if the write buffer is below 64 KiB, the spin out of range,
     *                                  the heartbeat below 1 ms or the client timeout not longer than it
     */
    public ServerOptions {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(policy, "policy");
        parameters = Map.copyOf(parameters);
        allowedUsers = Set.copyOf(allowedUsers);
        allowedGroups = Set.copyOf(allowedGroups);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(limits, "limits");
        SpinSetting.check(Objects.requireNonNull(spin, "spin"));
        if (writeBufferBytes < 64 * 1024) {
            throw new IllegalArgumentException("write buffer must be >= 64 KiB, got " + writeBufferBytes);
        }
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(clientTimeout, "clientTimeout");
        if (heartbeat.compareTo(Duration.ofMillis(1)) < 0 || clientTimeout.compareTo(heartbeat) <= 0) {
            throw new IllegalArgumentException("the heartbeat must be >= 1 ms and the client timeout longer than it, got "
                    + heartbeat.toMillis() + " ms and " + clientTimeout.toMillis() + " ms");
        }
    }

    /**
     * The default socket, {@code hpf}, only this user, a 1 MiB write buffer per client, the system
     * clock, JMX on, {@linkplain ServerLimits#defaults() the default limits}, a ping each second
     * and a client timeout of 10 s; the spin from the system property {@value #SPIN_PROPERTY}, else the
     * environment variable {@value #SPIN_VARIABLE}, else none.
     *
     * @return the options of a plain {@code xsched server}
     * @throws java.io.UncheckedIOException if the default socket needs the uid and it cannot be read
     * @throws IllegalArgumentException     if the spin setting is not a number of microseconds up to 10 ms
     */
    public static ServerOptions defaults() {
        return new ServerOptions(ServerSocketPath.defaultPath(), "hpf", Map.of(), Set.of(), Set.of(),
                DEFAULT_WRITE_BUFFER_BYTES, SchedulerClock.system(), true,
                SpinSetting.fromEnvironment(SPIN_PROPERTY, SPIN_VARIABLE), ServerLimits.defaults(),
                DEFAULT_HEARTBEAT, DEFAULT_CLIENT_TIMEOUT);
    }

    /**
     * A copy with another spin.
     *
     * @param spin how long the server's thread polls without blocking after each wake-up, 0 to 10 ms
     * @return the new options
     */
    public ServerOptions withSpin(Duration spin) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, writeBufferBytes, clock, jmx, spin,
                limits, heartbeat, clientTimeout);
    }

    /**
     * A copy listening at another socket.
     *
     * @param socket the socket's path; its folder is created 0700 if missing
     * @return the new options
     */
    public ServerOptions withSocket(Path socket) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, writeBufferBytes, clock, jmx, spin,
                limits, heartbeat, clientTimeout);
    }

    /**
     * A copy with another policy (checked when the server starts).
     *
     * @param policy     an installed policy's name
     * @param parameters its parameters
     * @return the new options
     */
    public ServerOptions withPolicy(String policy, Map<String, String> parameters) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, writeBufferBytes, clock, jmx, spin,
                limits, heartbeat, clientTimeout);
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
        return new ServerOptions(socket, policy, parameters, users, groups, writeBufferBytes, clock, jmx, spin,
                limits, heartbeat, clientTimeout);
    }

    /**
     * A copy with another per-client write buffer.
     *
     * @param bytes the most bytes queued for one client before it is cut off, &gt;= 64 KiB
     * @return the new options
     * @throws IllegalArgumentException if {@code bytes} is below 64 KiB
     */
    public ServerOptions withWriteBufferBytes(int bytes) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, bytes, clock, jmx, spin,
                limits, heartbeat, clientTimeout);
    }

    /**
     * A copy with the MBean registered or not.
     *
     * @param jmx whether to register it
     * @return the new options
     */
    public ServerOptions withJmx(boolean jmx) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, writeBufferBytes, clock, jmx, spin,
                limits, heartbeat, clientTimeout);
    }

    /**
     * A copy with other bounds on connections, silent peers, queues and devices.
     *
     * @param limits the new limits
     * @return the new options
     */
    public ServerOptions withLimits(ServerLimits limits) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, writeBufferBytes, clock, jmx, spin,
                limits, heartbeat, clientTimeout);
    }

    /**
     * A copy with another heartbeat: the server pings every scheduling client each {@code period}
     * and drops one from which no frame arrived for {@code clientTimeout}.
     *
     * @param period        the period of the pings, at least 1 ms
     * @param clientTimeout how long a scheduling client may stay silent, longer than {@code period}
     * @return the new options
     * @throws IllegalArgumentException if the period is below 1 ms or the timeout not longer than it
     */
    public ServerOptions withHeartbeat(Duration period, Duration clientTimeout) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, writeBufferBytes, clock, jmx, spin,
                limits, period, clientTimeout);
    }

    /**
     * A copy on another clock (tests drive the server's timers with one of their own; the selector
     * still waits in real time, so a test that moves its clock wakes the server, for example with
     * {@link SchedulerServer#onServerThread}).
     *
     * @param clock the scheduler clock
     * @return the new options
     */
    public ServerOptions withClock(SchedulerClock clock) {
        return new ServerOptions(socket, policy, parameters, allowedUsers, allowedGroups, writeBufferBytes, clock, jmx, spin,
                limits, heartbeat, clientTimeout);
    }
}
