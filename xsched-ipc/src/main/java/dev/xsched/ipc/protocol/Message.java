package dev.xsched.ipc.protocol;

import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.core.policy.Hint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The messages of the scheduler protocol, one per frame ({@link FrameCodec} holds the wire layout).
 * Queue ids are the client's own ({@code XQueue.id()}); the server maps them to its own ids.
 * Strings are at most {@value FrameCodec#MAX_STRING_BYTES} bytes of UTF-8 and lists at most
 * {@value FrameCodec#MAX_LIST_ITEMS} items on the wire: the records accept longer ones, and
 * {@link FrameCodec#encode} rejects them. Every record is immutable.
 */
public sealed interface Message {

    /** Who connects: a process with queues to schedule, or a tool (top, policy, hint). */
    enum Role {
        /** A process whose XQueues the server schedules; it receives {@link Decision}s. */
        SCHEDULING,
        /** A tool: one request, one answer; it registers no queues. */
        CONTROL
    }

    // ---- client to server ----------------------------------------------------------------

    /**
     * The first frame of every connection; the server answers with {@link Welcome}.
     *
     * @param pid     the sender's process id as it reports it (shown by {@code xsched top}, the key
     *                of {@link RemoteHint}); access is checked on the kernel's peer credentials instead
     * @param process a name for the process, its scheduler's or tool's name
     * @param role    what the connection is for
     */
    record Hello(long pid, String process, Role role) implements Message {
        /**
         * Checks the references.
         *
         * @param pid     the process id
         * @param process the process's name
         * @param role    the connection's role
         */
        public Hello {
            Objects.requireNonNull(process, "process");
            Objects.requireNonNull(role, "role");
        }
    }

    /**
     * A queue appeared (or is registered again after a reconnect). The server's policy sees it
     * from now on, together with every other queue on the same GPU.
     *
     * @param queueId   the client's id of the queue, unique per connection
     * @param name      the queue's name, for {@code xsched top} and {@link RemoteHint}
     * @param device    the GPU's UUID: queues of different processes on one GPU share one policy
     * @param threshold the queue's threshold (commands in flight), &gt;= 1
     * @param batchSize the queue's batch size, &gt;= 1
     */
    record QueueCreated(long queueId, String name, UUID device, int threshold, int batchSize) implements Message {
        /**
         * Checks the references.
         *
         * @param queueId   the client's queue id
         * @param name      the queue's name
         * @param device    the GPU's UUID
         * @param threshold the queue's threshold
         * @param batchSize the queue's batch size
         */
        public QueueCreated {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(device, "device");
        }
    }

    /**
     * The queue received work while it had none. The server's policy takes its own clock's time
     * of arrival as the ready time.
     *
     * @param queueId the client's queue id
     * @param at      when it became ready, on the client's scheduler clock in nanoseconds (diagnostics only)
     */
    record QueueReady(long queueId, long at) implements Message {
    }

    /**
     * The queue's work all completed: nothing buffered, nothing in flight.
     *
     * @param queueId the client's queue id
     * @param at      when, on the client's scheduler clock in nanoseconds (diagnostics only)
     */
    record QueueIdle(long queueId, long at) implements Message {
    }

    /**
     * The queue was closed; the server forgets it and decides again for its GPU.
     *
     * @param queueId the client's queue id, which the client may not use again on this connection
     */
    record QueueClosed(long queueId) implements Message {
    }

    /**
     * The latest hint of its type for a queue.
     *
     * @param queueId the client's queue id
     * @param hint    a built-in hint ({@link FrameCodec#isTransferable})
     */
    record HintSet(long queueId, Hint hint) implements Message {
        /**
         * Checks the hint is present.
         *
         * @param queueId the client's queue id
         * @param hint    the hint
         */
        public HintSet {
            Objects.requireNonNull(hint, "hint");
        }
    }

    /**
     * The queue waits for an event that queue {@code producerId} of the same process has still to
     * record ({@code -1}: it waits for nothing any more). The server lends priority as a local
     * scheduler does.
     *
     * @param queueId    the waiting queue's client id
     * @param producerId the client id of the queue that is to record the event, or -1
     */
    record BlockedOn(long queueId, long producerId) implements Message {
    }

    /**
     * Counters for {@code xsched top}, sent at most once per
     * {@link dev.xsched.ipc.client.ClientOptions#countersPeriod() period} per queue and only when
     * they moved. Policies do not see them.
     *
     * @param queueId   the client's queue id
     * @param submitted commands submitted to the queue so far
     * @param completed commands completed so far
     */
    record QueueCounters(long queueId, long submitted, long completed) implements Message {
    }

    /**
     * The queue's stop word: the word of this process's stop-word file that the queue's stream
     * waits on ({@code XQueue.armRemoteStop}), so that another process's store into it stops the
     * queue on the device before this process hears of anything. Sent after the queue's
     * {@link QueueCreated}, on every connection. The server tells the processes whose queues its
     * policy would let suspend this one which words to advance ({@link RaiseOnReady}).
     *
     * @param queueId the client's queue id
     * @param path    the stop-word file, as {@link StopWordRef#path()} requires
     * @param offset  the word's offset in bytes, as {@link StopWordRef#offset()} requires
     */
    record StopWordSet(long queueId, String path, long offset) implements Message {
        /**
         * Checks the word's address.
         *
         * @param queueId the client's queue id
         * @param path    the stop-word file
         * @param offset  the word's offset
         * @throws IllegalArgumentException if the path or offset cannot name a stop word
         */
        public StopWordSet {
            StopWordRef.check(path, offset);
        }

        /** {@return the word's address, as a {@link RaiseOnReady} carries it} */
        public StopWordRef word() {
            return new StopWordRef(path, offset);
        }
    }

    /**
     * The answer to {@link Ping}, with its sequence number: sent by a scheduling client's I/O
     * thread, never by an application thread, so a busy process answers and a frozen one does not.
     * Any frame from a client shows it alive to the server; this one is for a client that has
     * nothing else to say.
     *
     * @param sequence the {@link Ping}'s sequence number
     */
    record Pong(long sequence) implements Message {
    }

    /** Asks for the server's policy; answered with {@link PolicyInfo}. */
    record PolicyGet() implements Message {
    }

    /**
     * Switch the server's policy on every GPU: sent by control clients ({@code xsched policy}),
     * accepted from any connection the server let in. Answered with {@link PolicyInfo}, or with
     * {@link Error} for an unknown policy or a bad parameter (the old policy then stays).
     *
     * @param name       an installed policy's name
     * @param parameters the policy's parameters by name, at most 64
     */
    record PolicySet(String name, Map<String, String> parameters) implements Message {
        /**
         * Copies the parameters.
         *
         * @param name       the policy's name
         * @param parameters its parameters
         */
        public PolicySet {
            Objects.requireNonNull(name, "name");
            parameters = Map.copyOf(parameters);
        }
    }

    /** Asks for a snapshot of every queue; answered with {@link Status}. */
    record StatusRequest() implements Message {
    }

    /**
     * A hint for another process's queue ({@code xsched hint}): {@code queue} is the queue's name or
     * its client-local id in decimal. The hint reaches the server's policy only; the process's own
     * view of its hints is unchanged. Answered with {@link Ack} saying how many queues matched, or
     * {@link Error} when none does.
     *
     * @param pid   the process, as its {@link Hello} reported it
     * @param queue the queue's name (every queue of that name gets the hint) or id
     * @param hint  a built-in hint
     */
    record RemoteHint(long pid, String queue, Hint hint) implements Message {
        /**
         * Checks the references.
         *
         * @param pid   the process id
         * @param queue the queue's name or id
         * @param hint  the hint
         */
        public RemoteHint {
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(hint, "hint");
        }
    }

    // ---- server to client ----------------------------------------------------------------

    /**
     * The server's answer to {@link Hello}: the connection is accepted.
     *
     * @param clientId the server's id for this connection (in its logs and JMX)
     * @param policy   the server's policy's name now
     */
    record Welcome(long clientId, String policy) implements Message {
        /**
         * Checks the policy is present.
         *
         * @param clientId the connection's id
         * @param policy   the policy's name
         */
        public Welcome {
            Objects.requireNonNull(policy, "policy");
        }
    }

    /**
     * The server's heartbeat, sent to every scheduling client once per heartbeat period
     * ({@code ServerOptions#heartbeat()}, 1 s by default). The client answers with {@link Pong}; a
     * client that sends no frame for the server's client timeout is dropped as a closed one is,
     * and a client that receives no frame for its server timeout
     * ({@link dev.xsched.ipc.client.ClientOptions#serverTimeout()}) counts the server as lost.
     *
     * @param sequence counts the server's heartbeats, from 1
     */
    record Ping(long sequence) implements Message {
    }

    /**
     * Suspend or resume queues of the receiving client: those of its queues on one GPU whose
     * state changed in a round of the server's policy, or that it decided about for the first
     * time. Queues not listed keep their state.
     *
     * @param queues one entry per queue, client ids
     */
    record Decision(List<QueueDecision> queues) implements Message {
        /**
         * Copies the list.
         *
         * @param queues the decisions
         */
        public Decision {
            queues = List.copyOf(queues);
        }
    }

    /**
     * One queue's state in a {@link Decision}.
     *
     * @param queueId   the client's queue id
     * @param suspended whether the queue is to stop releasing
     */
    record QueueDecision(long queueId, boolean suspended) {
    }

    /**
     * What the receiving client's queue is to do each time it turns ready, before its first
     * command goes to the stream: advance these stop words ({@link StopWordSet}) of other
     * processes' queues, those that the server's policy suspends whenever this queue has work, so
     * that their kernels stop before this queue's first kernel starts rather than after the
     * server's round trip. Sent when the list changes, and after the queue's registration when it
     * is not empty; an empty list clears it. At most {@value FrameCodec#MAX_RAISE_WORDS} words.
     *
     * @param queueId the client's queue id
     * @param words   the stop words to advance, in no particular order
     */
    record RaiseOnReady(long queueId, List<StopWordRef> words) implements Message {
        /**
         * Copies the list.
         *
         * @param queueId the client's queue id
         * @param words   the stop words
         */
        public RaiseOnReady {
            words = List.copyOf(words);
        }
    }

    /**
     * Where a stop word lies: a file that its owner made (typically in {@code /dev/shm}, mode 0600,
     * so only processes of the owner's user can map it) and a word in it.
     *
     * @param path   the file, an absolute path of at most {@value FrameCodec#MAX_PATH_BYTES} bytes of UTF-8
     * @param offset the word's offset in bytes: a multiple of 4, at least 0 and below the file's
     *               {@link StopWordFile#WORDS} words
     */
    record StopWordRef(String path, long offset) {
        /**
         * Checks the address.
         *
         * @param path   the file
         * @param offset the word's offset
         * @throws IllegalArgumentException if the path is not absolute or too long, or the offset
         *                                  is not a word of a stop-word file
         */
        public StopWordRef {
            check(path, offset);
        }

        static void check(String path, long offset) {
            Objects.requireNonNull(path, "path");
            int bytes = path.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > FrameCodec.MAX_PATH_BYTES) {
                throw new IllegalArgumentException("stop-word path of " + bytes + " bytes exceeds the limit of "
                        + FrameCodec.MAX_PATH_BYTES);
            }
            // Path.of rejects a NUL, as an InvalidPathException (an IllegalArgumentException).
            if (!Path.of(path).isAbsolute()) {
                throw new IllegalArgumentException("stop-word path '" + path + "' is not absolute");
            }
            if (offset < 0 || offset % Integer.BYTES != 0 || offset >= (long) StopWordFile.WORDS * Integer.BYTES) {
                throw new IllegalArgumentException("stop-word offset " + offset + " is not a multiple of 4 below "
                        + StopWordFile.WORDS * Integer.BYTES);
            }
        }
    }

    /**
     * The answer to {@link PolicyGet} and to a successful {@link PolicySet}.
     *
     * @param active    the policy the server runs now
     * @param installed the policies installed in the server, sorted
     */
    record PolicyInfo(String active, List<String> installed) implements Message {
        /**
         * Copies the list.
         *
         * @param active    the active policy
         * @param installed the installed policies
         */
        public PolicyInfo {
            Objects.requireNonNull(active, "active");
            installed = List.copyOf(installed);
        }
    }

    /**
     * A snapshot for {@code xsched top}, the answer to {@link StatusRequest}. A host with more
     * queues than fit one frame gets the first rows only.
     *
     * @param now                   the server's clock when taken, in nanoseconds
     * @param policy                the server's policy
     * @param serverThreadCpuNanos  CPU time the server's thread has used since it started (-1 where
     *                              the JVM cannot measure it); two snapshots give its share of a core
     * @param serverProcessCpuNanos CPU time the server's whole process has used (-1 where unknown)
     * @param queues                every queue, sorted by GPU, process id and queue id
     */
    record Status(long now, String policy, long serverThreadCpuNanos, long serverProcessCpuNanos, List<QueueRow> queues)
            implements Message {
        /**
         * Copies the list.
         *
         * @param now                   the server's clock
         * @param policy                the server's policy
         * @param serverThreadCpuNanos  the server thread's CPU time, or -1
         * @param serverProcessCpuNanos the server process's CPU time, or -1
         * @param queues                the rows
         */
        public Status {
            Objects.requireNonNull(policy, "policy");
            queues = List.copyOf(queues);
        }
    }

    /**
     * One queue in a {@link Status}.
     *
     * @param pid        the owning process, as its hello reported it
     * @param process    the owning process's name
     * @param queueId    the queue's id in its process
     * @param name       the queue's name
     * @param device     the GPU's UUID
     * @param ready      whether it has work
     * @param suspended  whether the server's policy has it stopped
     * @param hints      its hints in short form, for example {@code prio=10 slice=2000us}
     * @param submitted  commands submitted, as last reported by the client
     * @param completed  commands completed, as last reported by the client
     * @param heldNanos  how long the queue has had work while allowed to run (its hold on the GPU)
     * @param ageNanos   how long the server has known the queue
     */
    record QueueRow(long pid, String process, long queueId, String name, UUID device, boolean ready, boolean suspended,
                    String hints, long submitted, long completed, long heldNanos, long ageNanos) {
        /**
         * Checks the references.
         *
         * @param pid       the process id
         * @param process   the process's name
         * @param queueId   the queue's id
         * @param name      the queue's name
         * @param device    the GPU's UUID
         * @param ready     whether it has work
         * @param suspended whether it is stopped
         * @param hints     its hints in short form
         * @param submitted commands submitted
         * @param completed commands completed
         * @param heldNanos its hold on the GPU in nanoseconds
         * @param ageNanos  its age in nanoseconds
         */
        public QueueRow {
            Objects.requireNonNull(process, "process");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(hints, "hints");
        }
    }

    /**
     * A control request succeeded.
     *
     * @param message what was done, for the tool to print
     */
    record Ack(String message) implements Message {
        /**
         * Checks the message is present.
         *
         * @param message what was done
         */
        public Ack {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The reason the connection is about to be closed (refused peer, protocol error, full write
     * buffer, version mismatch), or a control request failed (the connection then stays open).
     *
     * @param reason one line for the peer to show
     */
    record Error(String reason) implements Message {
        /**
         * Checks the reason is present.
         *
         * @param reason the reason
         */
        public Error {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
