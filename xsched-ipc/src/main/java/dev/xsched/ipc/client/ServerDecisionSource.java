package dev.xsched.ipc.client;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueStats;
import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.core.coordination.ScheduledQueue;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A process's side of the scheduler server: reports its queues' state changes and applies the
 * server's decisions. Commands never leave the process.
 *
 * <p>Threads: the scheduling thread calls {@link #decide}, which only compares the queues with what
 * was last reported and queues the differences (it never blocks); one I/O thread connects,
 * reconnects with backoff and writes; a reader thread per connection takes the decisions in and
 * asks the scheduler to decide again.
 *
 * <p>Failure: whenever the server is unreachable every queue runs (one warning per outage). After a
 * reconnect every live queue is registered again with its full state; until the server's first
 * decision about it, a queue that was running keeps running, while a queue created while connected
 * waits for its first decision, as with a local policy.
 */
public final class ServerDecisionSource implements DecisionSource {
    private static final System.Logger LOG = System.getLogger(ServerDecisionSource.class.getName());

    private record Outgoing(long epoch, Message message) {
    }

    /** Wakes the writer when the reader lost the connection, so that it reconnects at once. */
    private static final Outgoing WAKE = new Outgoing(-1, null);

    /** What the server was last told about a queue (scheduling thread only). */
    private static final class Reported {
        boolean ready;
        long readySince = -1;
        long producer = -1;
        final Map<Class<? extends Hint>, Hint> hints = new HashMap<>();
    }

    private final Path socket;
    private final String processName;
    private final ClientOptions options;
    private final LinkedBlockingQueue<Outgoing> outgoing = new LinkedBlockingQueue<>();
    private final Map<Long, Boolean> decided = new ConcurrentHashMap<>();
    private final Map<Long, XQueue> live = new ConcurrentHashMap<>();
    // I/O thread only: the queues registered on the current connection, and their counters as sent.
    private final Map<Long, long[]> countersSent = new HashMap<>();
    private volatile boolean connected;
    private volatile long epoch;
    private volatile boolean closed;
    private volatile String serverPolicy = "?";
    private volatile String lastReason;
    private volatile FrameChannel channel;
    private volatile Runnable redecide = () -> {
    };
    private Thread io;

    // Scheduling thread only.
    private final Map<Long, Reported> reported = new HashMap<>();
    private final Set<Long> everSeen = new HashSet<>();
    private final Set<Long> heldUntilDecided = new HashSet<>();
    private final Set<Class<?>> warnedHintTypes = new HashSet<>();
    private long reportedEpoch = -1;

    /**
     * A source that has not connected yet: {@link #attach} starts its I/O thread, which connects
     * in the background. Until then, and whenever the server is unreachable, every queue runs.
     *
     * @param socket      the server's Unix domain socket
     * @param processName how the server lists this process
     * @param options     reconnection and reporting periods
     */
    public ServerDecisionSource(Path socket, String processName, ClientOptions options) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.processName = Objects.requireNonNull(processName, "processName");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public synchronized void attach(String schedulerName, Runnable redecide) {
        if (io != null) {
            throw new IllegalStateException("already attached");
        }
        this.redecide = Objects.requireNonNull(redecide, "redecide");
        io = Thread.ofPlatform().daemon().name(schedulerName + "-server-io").start(this::ioLoop);
    }

    /** {@return whether the server is connected now (for tests and tools)} */
    public boolean isConnected() {
        return connected;
    }

    @Override
    public String describe() {
        return connected ? "server " + socket + " (" + serverPolicy + ")" : "server " + socket + " (unreachable: every queue runs)";
    }

    // ---- the scheduling thread -----------------------------------------------------------------

    @Override
    public Map<Long, Boolean> decide(long now, List<ScheduledQueue> queues) {
        long currentEpoch = epoch;
        if (currentEpoch != reportedEpoch) {
            // A new connection: register everything again, from scratch.
            reported.clear();
            heldUntilDecided.clear();
            reportedEpoch = currentEpoch;
        }
        boolean up = connected && !closed;
        Map<Long, Long> producerOf = new HashMap<>();
        for (ScheduledQueue q : queues) {
            for (Long waiter : q.status().lendersOf()) {
                producerOf.put(waiter, q.status().id());
            }
        }
        Set<Long> present = new HashSet<>();
        for (ScheduledQueue q : queues) {
            QueueStatus status = q.status();
            long id = status.id();
            present.add(id);
            Reported r = reported.get(id);
            if (r == null) {
                r = new Reported();
                reported.put(id, r);
                live.put(id, q.queue());
                send(currentEpoch, new Message.QueueCreated(id, FrameCodec.fit(status.name()), q.queue().device().uuid(),
                        q.queue().config().threshold(), q.queue().config().batchSize()));
                if (everSeen.add(id) && up) {
                    heldUntilDecided.add(id);
                }
            }
            reportHints(currentEpoch, id, status, r);
            long producer = producerOf.getOrDefault(id, -1L);
            if (producer != r.producer) {
                r.producer = producer;
                send(currentEpoch, new Message.BlockedOn(id, producer));
            }
            if (status.ready() != r.ready || status.ready() && status.readySince() != r.readySince) {
                r.ready = status.ready();
                r.readySince = status.readySince();
                send(currentEpoch, status.ready() ? new Message.QueueReady(id, status.readySince()) : new Message.QueueIdle(id, now));
            }
        }
        for (var it = reported.keySet().iterator(); it.hasNext(); ) {
            long id = it.next();
            if (!present.contains(id)) {
                it.remove();
                live.remove(id);
                heldUntilDecided.remove(id);
                decided.remove(id);
                send(currentEpoch, new Message.QueueClosed(id));
            }
        }
        everSeen.retainAll(present);
        Map<Long, Boolean> answer = new HashMap<>();
        if (!up) {
            return answer; // fail open: everything runs
        }
        for (long id : present) {
            Boolean suspended = decided.get(id);
            if (suspended != null) {
                heldUntilDecided.remove(id);
                answer.put(id, suspended);
            } else if (heldUntilDecided.contains(id)) {
                answer.put(id, true);
            }
        }
        return answer;
    }

    private void reportHints(long currentEpoch, long id, QueueStatus status, Reported r) {
        for (Hint hint : status.hints().values()) {
            if (hint.equals(r.hints.get(hint.getClass()))) {
                continue;
            }
            r.hints.put(hint.getClass(), hint);
            if (FrameCodec.isTransferable(hint)) {
                send(currentEpoch, new Message.HintSet(id, hint));
            } else if (warnedHintTypes.add(hint.getClass())) {
                LOG.log(System.Logger.Level.WARNING, "hint type " + hint.getClass().getName()
                        + " stays in this process: only the built-in hints reach the scheduler server");
            }
        }
    }

    private void send(long forEpoch, Message message) {
        outgoing.add(new Outgoing(forEpoch, message));
    }

    // ---- the I/O thread --------------------------------------------------------------------

    private void ioLoop() {
        long wait = options.firstRetry().toNanos();
        boolean warned = false;
        boolean everConnected = false;
        while (!closed) {
            FrameChannel connection;
            try {
                connection = FrameChannel.connect(socket);
                connection.send(new Message.Hello(ProcessHandle.current().pid(), FrameCodec.fit(processName),
                        Message.Role.SCHEDULING));
                if (!(connection.receive() instanceof Message.Welcome welcome)) {
                    connection.close();
                    throw new IOException("the server did not welcome this client");
                }
                serverPolicy = welcome.policy();
            } catch (IOException e) {
                if (!warned) {
                    LOG.log(System.Logger.Level.WARNING, "scheduler server at " + socket + " is unreachable (" + e.getMessage()
                            + "): every queue runs until it is back; retrying");
                    warned = true;
                }
                if (sleep(wait)) {
                    return;
                }
                wait = Math.min(wait * 2, options.maxRetry().toNanos());
                continue;
            }
            wait = options.firstRetry().toNanos();
            if (warned || everConnected) {
                LOG.log(System.Logger.Level.INFO, "scheduler server at " + socket + " reached again: registering "
                        + live.size() + " queue(s)");
            }
            warned = false;
            everConnected = true;
            serve(connection);
            if (!closed) {
                String reason = lastReason;
                lastReason = null;
                LOG.log(System.Logger.Level.WARNING, "lost the scheduler server at " + socket
                        + (reason != null ? " (" + reason + ")" : "") + ": every queue runs until it is back; reconnecting");
                warned = true;
            }
        }
    }

    /** Runs one connection until it fails: starts its reader, writes what the scheduler queues. */
    private void serve(FrameChannel connection) {
        channel = connection;
        outgoing.clear();
        countersSent.clear();
        decided.clear();
        long myEpoch = epoch + 1;
        epoch = myEpoch;
        connected = true;
        Thread reader = Thread.ofPlatform().daemon().name(io.getName() + "-reader").start(() -> read(connection));
        redecide.run(); // registers every live queue under the new epoch
        long countersDue = System.nanoTime() + options.countersPeriod().toNanos();
        try {
            while (!closed && connection.isOpen()) {
                Outgoing next = outgoing.poll(Math.max(1, countersDue - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next != null && next.epoch() == myEpoch && next.message() != null) {
                    connection.send(next.message());
                    switch (next.message()) {
                        case Message.QueueCreated created -> countersSent.put(created.queueId(), new long[] {-1, -1});
                        case Message.QueueClosed closedQueue -> countersSent.remove(closedQueue.queueId());
                        default -> {
                        }
                    }
                }
                if (System.nanoTime() - countersDue >= 0) {
                    sendCounters(connection);
                    countersDue = System.nanoTime() + options.countersPeriod().toNanos();
                }
            }
        } catch (IOException e) {
            // Handled below: the connection is gone.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lose(connection);
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Counters of the queues this connection has registered (in write order, so never before their creation). */
    private void sendCounters(FrameChannel connection) throws IOException {
        for (var e : countersSent.entrySet()) {
            XQueue queue = live.get(e.getKey());
            if (queue == null) {
                continue;
            }
            XQueueStats stats = queue.stats();
            long[] last = e.getValue();
            if (last[0] != stats.submitted() || last[1] != stats.completed()) {
                last[0] = stats.submitted();
                last[1] = stats.completed();
                connection.send(new Message.QueueCounters(e.getKey(), stats.submitted(), stats.completed()));
            }
        }
    }

    private void read(FrameChannel connection) {
        try {
            while (true) {
                switch (connection.receive()) {
                    case Message.Decision d -> {
                        d.queues().stream().filter(q -> live.containsKey(q.queueId()))
                                .forEach(q -> decided.put(q.queueId(), q.suspended()));
                        redecide.run();
                    }
                    case Message.Error e -> lastReason = e.reason(); // part of the one warning about the loss
                    default -> {
                        // Nothing else is addressed to a scheduling client.
                    }
                }
            }
        } catch (IOException e) {
            lose(connection);
        }
    }

    /** The connection is gone: every queue runs at once. */
    private void lose(FrameChannel connection) {
        synchronized (this) {
            if (channel != connection) {
                return;
            }
            channel = null;
            connected = false;
        }
        connection.close();
        decided.clear();
        outgoing.add(WAKE);
        redecide.run();
    }

    /** @return whether the source was closed meanwhile */
    private boolean sleep(long nanos) {
        try {
            synchronized (this) {
                if (!closed) {
                    TimeUnit.NANOSECONDS.timedWait(this, nanos);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        return closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        outgoing.add(WAKE);
        FrameChannel current = channel;
        if (current != null) {
            current.close();
        }
        connected = false;
        Thread t = io;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
