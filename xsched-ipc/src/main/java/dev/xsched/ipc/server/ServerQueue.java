package dev.xsched.ipc.server;

import dev.xsched.core.policy.Hint;
import dev.xsched.ipc.protocol.Message;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the server knows of one client queue. Owned by the server's thread. */
final class ServerQueue {
    final long id;
    final Client client;
    final long localId;
    final String name;
    final UUID device;
    final long createdAt;
    final Map<Class<? extends Hint>, Hint> hints = new LinkedHashMap<>();
    boolean ready;
    long readySince = -1;
    /** The last decision sent to the client; a new queue is held by its client until the first one. */
    boolean suspended = true;
    boolean decided;
    /** The queue (server id) this one waits on, or -1. */
    long producer = -1;
    long submitted;
    long completed;
    /** The word its stream waits on ({@link Message.StopWordSet}), or null: only decisions stop it. */
    Message.StopWordRef stopWord;
    /** The stop words its client was last told to advance when it turns ready ({@link Message.RaiseOnReady}). */
    List<Message.StopWordRef> raisesSent = List.of();
    /** The server ids of the queues whose words {@link #raisesSent} holds. */
    List<Long> raiseTargets = List.of();
    private long heldNanos;
    private long heldSince = -1;

    ServerQueue(long id, Client client, long localId, String name, UUID device, long now) {
        this.id = id;
        this.client = client;
        this.localId = localId;
        this.name = name;
        this.device = device;
        this.createdAt = now;
    }

    /** Accounts the time the queue held the GPU: it had work and was allowed to run. */
    void account(long now) {
        boolean holding = ready && !suspended;
        if (holding && heldSince < 0) {
            heldSince = now;
        } else if (!holding && heldSince >= 0) {
            heldNanos += now - heldSince;
            heldSince = -1;
        }
    }

    long heldNanos(long now) {
        return heldNanos + (heldSince >= 0 ? now - heldSince : 0);
    }
}
