package dev.xsched.ipc.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which connections the server holds, against {@link ServerLimits#connections()}, and when those
 * that have not said hello yet are due to be closed ({@link ServerLimits#helloTimeout()}): a peer
 * that connects and stays silent must not hold a descriptor and memory for good. Owned by the
 * server's thread; times are on the server's clock.
 */
final class Admission {
    private final ServerLimits limits;
    private final Set<Connection> open = new HashSet<>();
    /** In order of acceptance, which is the order of their deadlines. */
    private final Set<Connection> awaitingHello = new LinkedHashSet<>();
    private boolean fullReported;

    Admission(ServerLimits limits) {
        this.limits = limits;
    }

    /** Whether one more connection would exceed the limit. */
    boolean isFull() {
        return open.size() >= limits.connections();
    }

    /**
     * Whether a refusal for a full server is the first since it was last below its limit: only that
     * one is logged, so that a flood does not flood the log too.
     */
    boolean firstRefusalWhileFull() {
        boolean first = !fullReported;
        fullReported = true;
        return first;
    }

    /** A connection accepted; unless refused at once it must say hello before its deadline. */
    void opened(Connection connection, boolean refused) {
        open.add(connection);
        if (!refused) {
            awaitingHello.add(connection);
        }
    }

    void greeted(Connection connection) {
        awaitingHello.remove(connection);
    }

    void closed(Connection connection) {
        open.remove(connection);
        awaitingHello.remove(connection);
        fullReported &= isFull();
    }

    /** When the oldest silent connection is due, or {@code Long.MAX_VALUE}. */
    long nextHelloDeadline() {
        return awaitingHello.isEmpty() ? Long.MAX_VALUE : deadline(awaitingHello.iterator().next());
    }

    /** The connections still silent at their deadline; they stay listed until {@link #closed}. */
    List<Connection> silentPastDeadline(long now) {
        List<Connection> due = new ArrayList<>();
        for (Connection c : awaitingHello) {
            if (now - deadline(c) < 0) {
                break;
            }
            due.add(c);
        }
        return due;
    }

    private long deadline(Connection connection) {
        return connection.acceptedAt + limits.helloTimeout().toNanos();
    }
}
