package dev.xsched.ipc.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what peers may make a {@link SchedulerServer} hold, so that one misbehaving or hostile
 * process of an allowed user cannot exhaust the server's memory, descriptors or policy time. A peer
 * that exceeds one is refused or has its connection closed with the reason, logged; the server and
 * its other clients go on.
 *
 * @param connections     the most open connections, refused and not yet greeted ones included;
 *                        a peer beyond it is told so and closed at once
 * @param helloTimeout    how long a connection may stay without its hello (handshake and first
 *                        message) before it is closed: a peer that connects and says nothing holds
 *                        a descriptor and a slot of {@code connections}
 * @param queuesPerClient the most queues one client may register; one more is a protocol error
 * @param devices         the most distinct GPUs (device UUIDs) across all clients, each with a
 *                        policy instance of its own; a queue on one more is a protocol error
 */
public record ServerLimits(int connections, Duration helloTimeout, int queuesPerClient, int devices) {
    /** The default connection cap: far more processes than one host runs against its GPUs. */
    public static final int DEFAULT_CONNECTIONS = 1024;
    /** The default hello deadline: clients send theirs right after connecting. */
    public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(5);
    /** The default queues per client: far more than a process creates, and above one decision frame's 4096. */
    public static final int DEFAULT_QUEUES_PER_CLIENT = 8192;
    /** The default device count: more GPUs than one host has. */
    public static final int DEFAULT_DEVICES = 64;

    /**
     * Checks the values.
     *
     * @param connections     at least 1
     * @param helloTimeout    positive
     * @param queuesPerClient at least 1
     * @param devices         at least 1
     * @throws IllegalArgumentException if a value is out of range
     */
    public ServerLimits {
        Objects.requireNonNull(helloTimeout, "helloTimeout");
        if (connections < 1 || queuesPerClient < 1 || devices < 1) {
            throw new IllegalArgumentException("limits must be >= 1, got connections " + connections
                    + ", queues per client " + queuesPerClient + ", devices " + devices);
        }
        if (helloTimeout.isNegative() || helloTimeout.isZero()) {
            throw new IllegalArgumentException("the hello timeout must be > 0, got " + helloTimeout);
        }
    }

    /**
     * {@value #DEFAULT_CONNECTIONS} connections, a 5 s hello deadline, {@value #DEFAULT_QUEUES_PER_CLIENT}
     * queues per client, {@value #DEFAULT_DEVICES} devices.
     *
     * @return the limits of a plain {@code xsched server}
     */
    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_CONNECTIONS, DEFAULT_HELLO_TIMEOUT, DEFAULT_QUEUES_PER_CLIENT, DEFAULT_DEVICES);
    }
}
