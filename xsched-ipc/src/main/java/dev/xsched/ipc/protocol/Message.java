package dev.xsched.ipc.protocol;

import dev.xsched.core.policy.Hint;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The messages of the scheduler protocol, one per frame ({@link FrameCodec} holds the wire layout).
 * Queue ids are the client's own ({@code XQueue.id()}); the server maps them to its own ids.
 */
public sealed interface Message {

    /** Who connects: a process with queues to schedule, or a tool (top, policy, hint). */
    enum Role { SCHEDULING, CONTROL }

    // ---- client to server ----------------------------------------------------------------

    /** The first frame of every connection. */
    record Hello(long pid, String process, Role role) implements Message {
        public Hello {
            Objects.requireNonNull(process, "process");
            Objects.requireNonNull(role, "role");
        }
    }

    /** A queue appeared (or is registered again after a reconnect). */
    record QueueCreated(long queueId, String name, UUID device, int threshold, int batchSize) implements Message {
        public QueueCreated {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(device, "device");
        }
    }

    /** The queue received work while it had none; {@code at} is the client's clock (diagnostics only). */
    record QueueReady(long queueId, long at) implements Message {
    }

    /** The queue's work all completed. */
    record QueueIdle(long queueId, long at) implements Message {
    }

    record QueueClosed(long queueId) implements Message {
    }

    /** The latest hint of its type for a queue. */
    record HintSet(long queueId, Hint hint) implements Message {
        public HintSet {
            Objects.requireNonNull(hint, "hint");
        }
    }

    /**
     * The queue waits for an event that queue {@code producerId} of the same process has still to
     * record ({@code -1}: it waits for nothing any more). The server lends priority as a local
     * scheduler does.
     */
    record BlockedOn(long queueId, long producerId) implements Message {
    }

    /** Counters for {@code xsched top}, sent at most once a second per queue and only when they moved. */
    record QueueCounters(long queueId, long submitted, long completed) implements Message {
    }

    record PolicyGet() implements Message {
    }

    /** Switch the server's policy (control connections only). */
    record PolicySet(String name, Map<String, String> parameters) implements Message {
        public PolicySet {
            Objects.requireNonNull(name, "name");
            parameters = Map.copyOf(parameters);
        }
    }

    record StatusRequest() implements Message {
    }

    /**
     * A hint for another process's queue (control connections only): {@code queue} is the queue's
     * name or its client-local id in decimal.
     */
    record RemoteHint(long pid, String queue, Hint hint) implements Message {
        public RemoteHint {
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(hint, "hint");
        }
    }

    // ---- server to client ----------------------------------------------------------------

    record Welcome(long clientId, String policy) implements Message {
        public Welcome {
            Objects.requireNonNull(policy, "policy");
        }
    }

    /** Suspend or resume queues of the receiving client. */
    record Decision(List<QueueDecision> queues) implements Message {
        public Decision {
            queues = List.copyOf(queues);
        }
    }

    record QueueDecision(long queueId, boolean suspended) {
    }

    record PolicyInfo(String active, List<String> installed) implements Message {
        public PolicyInfo {
            Objects.requireNonNull(active, "active");
            installed = List.copyOf(installed);
        }
    }

    /**
     * A snapshot for {@code xsched top}: {@code now} on the server's clock; the CPU time the
     * server's thread and its whole process have used since they started (-1 where the JVM cannot
     * measure it), so that two snapshots give the server's share of a core in between.
     */
    record Status(long now, String policy, long serverThreadCpuNanos, long serverProcessCpuNanos, List<QueueRow> queues)
            implements Message {
        public Status {
            Objects.requireNonNull(policy, "policy");
            queues = List.copyOf(queues);
        }
    }

    /**
     * One queue in a {@link Status}.
     *
     * @param heldNanos  how long the queue has had work while allowed to run (its hold on the GPU)
     * @param ageNanos   how long the server has known the queue
     */
    record QueueRow(long pid, String process, long queueId, String name, UUID device, boolean ready, boolean suspended,
                    String hints, long submitted, long completed, long heldNanos, long ageNanos) {
        public QueueRow {
            Objects.requireNonNull(process, "process");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(hints, "hints");
        }
    }

    /** A control request succeeded. */
    record Ack(String message) implements Message {
        public Ack {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The reason the connection is about to be closed, or a control request failed. */
    record Error(String reason) implements Message {
        public Error {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
