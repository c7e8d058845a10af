package dev.xsched.ipc.client;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueStats;
import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.core.coordination.ScheduledQueue;
import dev.xsched.core.coordination.StopWord;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.ipc.internal.DurationText;
import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.FrameLink;
import dev.xsched.ipc.protocol.Message;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A process's side of the scheduler server: reports its queues' state changes and applies the
 * server's decisions. Commands never leave the process.
 *
 * <p>Threads, and why so few hand-offs: the scheduler's round calls {@link #decide} (on its
 * scheduling thread, or with {@code XScheduler.Builder#decideOnSubmit} on the submitting thread
 * that turned a queue ready; one round at a time), which compares
 * the queues with what was last reported and writes the differences straight into the socket
 * ({@link FrameLink#send}: never blocks; only what a full socket buffer does not take waits for
 * the I/O thread). One I/O thread connects, reconnects with backoff, sends the counters and reads
 * the decisions, which it applies to the queues itself ({@link DecisionSource.Scheduling#apply})
 * rather than waking the scheduling thread to do it; the round it then asks for reconciles with
 * priority lending. A decision thus crosses two threads per process at most: the scheduling
 * thread of the process whose queue changed, and the I/O thread of the process whose queue it
 * suspends.
 *
 * <p>The cross-process stop ({@link ClientOptions#remoteStop()}): each queue that can wait on host
 * memory gets a stop word, armed when the queue is registered and sent to the server after its
 * registration ({@link ArmedQueues}); the server's {@link Message.RaiseOnReady} lists say which
 * other processes' words each queue advances when it turns ready ({@link RaiseActions}), and every
 * such turn reaches the server as a {@code QueueReady}, so that its round answers the queues
 * stopped.
 *
 * <p>Liveness: the I/O thread answers the server's {@link Message.Ping}s with {@link Message.Pong}s
 * (so a busy application still answers, a frozen process does not), and counts the server as lost
 * when no frame at all arrived from it for {@link ClientOptions#serverTimeout()}: a frozen server
 * is then handled as one that went away.
 *
 * <p>Failure: whenever the server is unreachable every queue runs (one warning per outage): every
 * queue gets a fresh "run" (which lowers a flag that a store raised), the stop words are disarmed
 * and no queue stores into any. Reconnection waits {@link ClientOptions#firstRetry()}, doubling to
 * {@link ClientOptions#maxRetry()}, between attempts; a connection that is lost after it stayed up
 * {@link #STABLE_LINK} reconnects at once and starts the waits afresh, while one lost sooner, or
 * ended by the server's {@code Error} frame or a failure of this process, is followed by the next
 * wait, so that a server that drops this client right after welcoming it is not called again in a
 * loop (such short connections count as one outage). An unchecked exception while serving the
 * connection ends it as a loss. After a reconnect every live queue is registered again with its full
 * state, its word armed again; until the server's first decision about it, a queue that was running
 * keeps running, while a queue created while connected waits for its first decision, as with a
 * local policy.
 */
public final class ServerDecisionSource implements DecisionSource {
    private static final System.Logger LOG = System.getLogger(ServerDecisionSource.class.getName());
    /** The most bytes that may wait for a full socket before the connection is given up. */
    private static final long PENDING_LIMIT = 1 << 20;
    /**
     * How long a connection must have stayed up for its loss to reset the reconnection backoff and
     * count as a new outage: a server that drops this client soon after welcoming it (a limit
     * exceeded, an internal error) must not be reconnected to in a loop, each time re-registering
     * every queue and upsetting the other clients' decisions. Five periods of counters by default.
     */
    static final Duration STABLE_LINK = Duration.ofSeconds(5);

    /** What the server was last told about a queue (scheduling thread only). */
    private static final class Reported {
        boolean ready;
        long readySince = -1;
        long producer = -1;
        /** Its count of turns that advanced stop words ({@link RaiseActions#turns}) as last reported. */
        long turns;
        final Map<Class<? extends Hint>, Hint> hints = new HashMap<>();
    }

    /** What crossed the socket, for {@link #traffic()}: written by the scheduling and I/O threads. */
    private static final class TrafficCounters {
        final AtomicLong stateChanges = new AtomicLong();
        final AtomicLong counterFrames = new AtomicLong();
        final AtomicLong decisionFrames = new AtomicLong();
        final AtomicLong suspends = new AtomicLong();
        final AtomicLong resumes = new AtomicLong();

        LinkTraffic snapshot() {
            return new LinkTraffic(stateChanges.get(), counterFrames.get(), decisionFrames.get(), suspends.get(), resumes.get());
        }
    }

    /**
     * One connection's lifetime, {@code link} null while disconnected; read once per round so that
     * a round's messages all go to the connection its epoch names. Sends are ordered by its
     * monitor, which also keeps the counters of a queue from following its closing.
     */
    private static final class Session {
        final long epoch;
        final FrameLink link;
        private final TrafficCounters traffic;
        // Guarded by this: the queues registered on this connection, and their counters as sent.
        private final Map<Long, long[]> countersSent = new HashMap<>();

        Session(long epoch, FrameLink link, TrafficCounters traffic) {
            this.epoch = epoch;
            this.link = link;
            this.traffic = traffic;
        }

        synchronized void send(Message message) {
            if (link == null || !link.send(message)) {
                return; // lost with the connection; everything is registered again on the next one
            }
            traffic.stateChanges.incrementAndGet();
            switch (message) {
                case Message.QueueCreated created -> countersSent.put(created.queueId(), new long[] {-1, -1});
                case Message.QueueClosed closedQueue -> countersSent.remove(closedQueue.queueId());
                default -> {
                }
            }
        }

        /** Counters of the queues this connection has registered, only those that moved. */
        synchronized void sendCounters(Map<Long, XQueue> live) {
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
                    if (link.send(new Message.QueueCounters(e.getKey(), stats.submitted(), stats.completed()))) {
                        traffic.counterFrames.incrementAndGet();
                    }
                }
            }
        }
    }

    private final Path socket;
    private final String processName;
    private final ClientOptions options;
    private final long stableLinkNanos;
    private final Map<Long, Boolean> decided = new ConcurrentHashMap<>();
    private final Map<Long, XQueue> live = new ConcurrentHashMap<>();
    private final TrafficCounters traffic = new TrafficCounters();
    private final ArmedQueues armed;
    private final RaiseActions raising;
    private volatile Session session = new Session(0, null, traffic);
    private volatile boolean closed;
    private volatile String serverPolicy = "?";
    private volatile String lastReason;
    private volatile Scheduling scheduling;
    /** The connection being set up, for {@link #close()} to unblock: a server that accepts but never answers must not hold it. */
    private volatile FrameChannel connecting;
    private Thread io;

    // Read and written by the scheduler's rounds only, which never overlap (ordered by its lock).
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
        this(socket, processName, options, STABLE_LINK, XQueue::disarmRemoteStop);
    }

    /**
     * As {@link #ServerDecisionSource(Path, String, ClientOptions)}, for tests: with another
     * {@link #STABLE_LINK}, and disarming through {@code disarmer}.
     *
     * @param socket      the server's Unix domain socket
     * @param processName how the server lists this process
     * @param options     reconnection and reporting periods
     * @param stableLink  how long a connection must have lasted for its loss to reset the backoff
     * @param disarmer    lets a queue's pending wait go ({@link XQueue#disarmRemoteStop})
     */
    ServerDecisionSource(Path socket, String processName, ClientOptions options, Duration stableLink,
                         Consumer<XQueue> disarmer) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.processName = Objects.requireNonNull(processName, "processName");
        this.options = Objects.requireNonNull(options, "options");
        this.stableLinkNanos = stableLink.toNanos();
        this.armed = new ArmedQueues(options.remoteStop(), id -> scheduling.apply(Map.of(id, false)), disarmer);
        this.raising = new RaiseActions(options.remoteStop());
    }

    @Override
    public synchronized void attach(String schedulerName, Scheduling scheduling) {
        if (io != null) {
            throw new IllegalStateException("already attached");
        }
        this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
        io = Thread.ofPlatform().daemon().name(schedulerName + "-server-io").start(this::ioLoop);
    }

    /** {@return whether the server is connected now (for tests and tools)} */
    public boolean isConnected() {
        return session.link != null;
    }

    /** {@return what this process's link to the server has carried so far (from any thread)} */
    public LinkTraffic traffic() {
        return traffic.snapshot();
    }

    @Override
    public String describe() {
        return isConnected() ? "server " + socket + " (" + serverPolicy + ")" : "server " + socket + " (unreachable: every queue runs)";
    }

    // ---- the scheduling thread -----------------------------------------------------------------

    /**
     * What this source keeps of queue {@code id}, which closed (scheduling thread). {@code live}
     * first: {@link RaiseActions#set} looks the queue up there under its lock, so a list that
     * arrives after the forget finds nothing.
     */
    private void forgetClosed(long id) {
        live.remove(id);
        heldUntilDecided.remove(id);
        decided.remove(id);
        armed.forget(id);
        raising.forget(id);
    }

    @Override
    public Map<Long, Boolean> decide(long now, List<ScheduledQueue> queues) {
        Session current = session;
        long currentEpoch = current.epoch;
        Set<Long> present = new HashSet<>();
        queues.forEach(q -> present.add(q.status().id()));
        if (currentEpoch != reportedEpoch) {
            // A new connection: register everything again, from scratch. A queue that closed
            // since the old connection's last round is forgotten first: the removal below only
            // sees the queues reported on this connection, and this one never will be.
            reported.keySet().stream().filter(id -> !present.contains(id)).forEach(this::forgetClosed);
            reported.clear();
            heldUntilDecided.clear();
            reportedEpoch = currentEpoch;
        }
        boolean up = current.link != null && !closed;
        Map<Long, Long> producerOf = new HashMap<>();
        for (ScheduledQueue q : queues) {
            for (Long waiter : q.status().lendersOf()) {
                producerOf.put(waiter, q.status().id());
            }
        }
        List<ScheduledQueue> registered = new ArrayList<>();
        // Every registration first: a waiter's BlockedOn may name a producer created after it, and
        // the server takes an unknown producer as none (the edge would be lost, never re-sent).
        for (ScheduledQueue q : queues) {
            QueueStatus status = q.status();
            long id = status.id();
            if (!reported.containsKey(id)) {
                Reported r = new Reported();
                r.turns = raising.turns(id); // no list on a new connection: nothing stored unreported
                reported.put(id, r);
                registered.add(q);
                live.put(id, q.queue());
                current.send(new Message.QueueCreated(id, FrameCodec.fit(status.name()), q.queue().device().uuid(),
                        q.queue().config().threshold(), q.queue().config().batchSize()));
                if (everSeen.add(id) && up) {
                    heldUntilDecided.add(id);
                }
            }
        }
        for (ScheduledQueue q : queues) {
            QueueStatus status = q.status();
            long id = status.id();
            Reported r = reported.get(id);
            reportHints(current, id, status, r);
            long producer = producerOf.getOrDefault(id, -1L);
            if (producer != r.producer) {
                r.producer = producer;
                current.send(new Message.BlockedOn(id, producer));
            }
            boolean readySent = false;
            if (status.ready() != r.ready || status.ready() && status.readySince() != r.readySince) {
                r.ready = status.ready();
                r.readySince = status.readySince();
                current.send(status.ready() ? new Message.QueueReady(id, status.readySince()) : new Message.QueueIdle(id, now));
                readySent = status.ready();
            }
            long turns = raising.turns(id);
            if (turns != r.turns) {
                r.turns = turns;
                if (!readySent) {
                    // It turned ready and stored into other processes' words, but this round does not
                    // show it turning ready (it went idle again before, or a round ran between its
                    // turn and its stores): without a QueueReady the server would not answer the stores.
                    current.send(new Message.QueueReady(id, status.ready() ? status.readySince() : now));
                    if (!status.ready()) {
                        current.send(new Message.QueueIdle(id, now));
                    }
                }
            }
        }
        for (var it = reported.keySet().iterator(); it.hasNext(); ) {
            long id = it.next();
            if (!present.contains(id)) {
                it.remove();
                forgetClosed(id);
                current.send(new Message.QueueClosed(id));
            }
        }
        everSeen.retainAll(present);
        if (up) {
            // Last: arming makes device calls, which the round's other messages need not wait for.
            for (ScheduledQueue q : registered) {
                Message.StopWordSet word = armed.register(q.status().id(), q.queue(), currentEpoch);
                if (word != null) {
                    current.send(word);
                }
            }
        }
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

    private void reportHints(Session current, long id, QueueStatus status, Reported r) {
        for (Hint hint : status.hints().values()) {
            if (hint.equals(r.hints.get(hint.getClass()))) {
                continue;
            }
            r.hints.put(hint.getClass(), hint);
            if (FrameCodec.isTransferable(hint)) {
                current.send(new Message.HintSet(id, hint));
            } else if (warnedHintTypes.add(hint.getClass())) {
                LOG.log(System.Logger.Level.WARNING, "hint type " + hint.getClass().getName()
                        + " stays in this process: only the built-in hints reach the scheduler server");
            }
        }
    }

    // ---- the I/O thread --------------------------------------------------------------------

    private void ioLoop() {
        long firstWait = options.firstRetry().toNanos();
        long wait = firstWait;
        boolean outage = false; // the current outage's one warning was logged
        boolean toldBack = false; // and its "reached again"
        while (!closed) {
            try {
                FrameLink link;
                try {
                    link = FrameLink.of(handshake(), PENDING_LIMIT);
                } catch (IOException | RuntimeException e) {
                    if (closed) {
                        return; // close() ended the attempt
                    }
                    if (!outage) {
                        LOG.log(System.Logger.Level.WARNING, "scheduler server at " + socket + " is unreachable ("
                                + (e instanceof IOException ? e.getMessage() : e) + "): every queue runs until it is back; retrying");
                        outage = true;
                        toldBack = false;
                    }
                    if (sleep(wait)) {
                        return;
                    }
                    wait = Math.min(wait * 2, options.maxRetry().toNanos());
                    continue;
                }
                if (outage && !toldBack) {
                    LOG.log(System.Logger.Level.INFO, "scheduler server at " + socket + " reached again: registering "
                            + live.size() + " queue(s)");
                    toldBack = true;
                }
                long since = System.nanoTime();
                Loss loss = serve(link);
                if (closed) {
                    return;
                }
                boolean lasted = System.nanoTime() - since >= stableLinkNanos;
                if (lasted) {
                    outage = false; // it served a while: that outage is over, and this loss is a new one
                }
                boolean restart = lasted && !loss.backOff();
                if (restart) {
                    wait = firstWait;
                }
                if (!outage) {
                    String why = loss.reason() != null ? " (" + loss.reason() + ")" : "";
                    LOG.log(System.Logger.Level.WARNING, "lost the scheduler server at " + socket + why
                            + ": every queue runs until it is back; reconnecting", loss.fault());
                    outage = true;
                    toldBack = false;
                }
                if (restart) {
                    continue; // a server that served a while and went (a restart): straight back
                }
                // Dropped soon after its welcome, ended with an Error frame, or failed here: the next
                // attempt would most likely end the same way, so wait as after a failed connect, and
                // longer each time until a connection lasts and ends without the server's Error.
                if (sleep(wait)) {
                    return;
                }
                wait = Math.min(wait * 2, options.maxRetry().toNanos());
            } catch (RuntimeException e) {
                // Nothing above should throw; if something does, this thread must still not end,
                // or the process would never reconnect.
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "the scheduler server's I/O thread failed; every queue runs, retrying", e);
                outage = true;
                if (sleep(wait)) {
                    return;
                }
                wait = Math.min(wait * 2, options.maxRetry().toNanos());
            }
        }
    }

    /**
     * How a connection ended.
     *
     * @param reason  the server's last word where it said one, else what failed
     * @param backOff whether to wait before the next attempt even if it lasted: the server sent an
     *                {@code Error} frame, or this process failed serving it
     * @param fault   what this process threw serving it, or null
     */
    private record Loss(String reason, boolean backOff, Throwable fault) {
    }

    /**
     * Connects, says hello and reads the welcome, with the channel published in {@link #connecting}
     * throughout so that {@link #close()} can end a wait on a server that accepted but does not answer.
     *
     * @return the welcomed connection
     * @throws IOException when the server is unreachable or refused this client (with its reason),
     *                     the socket's folder is one another user may have made
     *                     ({@link SocketFolderCheck}), or the source was closed meanwhile
     */
    FrameChannel handshake() throws IOException { // package-private for tests of a refusal
        FrameChannel connection = FrameChannel.open();
        connecting = connection;
        try {
            if (closed) { // close() ran before the channel was published: it could not close it
                throw new IOException("closed");
            }
            SocketFolderCheck.check(socket); // before every attempt: the folder may be made between two
            connection.connectTo(socket);
            connection.send(new Message.Hello(ProcessHandle.current().pid(), FrameCodec.fit(processName),
                    Message.Role.SCHEDULING));
            Message answer = connection.receive();
            if (answer instanceof Message.Error refusal) {
                throw new IOException("the server refused this client: " + refusal.reason());
            }
            if (!(answer instanceof Message.Welcome welcome)) {
                throw new IOException("the server did not welcome this client but sent " + answer.getClass().getSimpleName());
            }
            serverPolicy = welcome.policy();
            return connection;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        } finally {
            connecting = null;
        }
    }

    /**
     * Runs one connection until it fails: reads and applies decisions, flushes what the socket did
     * not take at once, sends the counters. Never throws: an unchecked exception from applying a
     * message ends the connection as a loss does (every queue runs), so that the I/O thread lives
     * on and reconnects.
     *
     * @return why it ended
     */
    private Loss serve(FrameLink link) {
        Session current;
        synchronized (this) {
            if (closed) {
                link.close();
                return new Loss(null, false, null);
            }
            decided.clear();
            current = new Session(session.epoch + 1, link, traffic);
            armed.connected(current.epoch); // before any round can see the session: its registrations arm
            session = current;
        }
        lastReason = null;
        String ending = null;
        Throwable fault = null;
        try {
            scheduling.redecide(); // registers every live queue under the new epoch
            long period = options.countersPeriod().toNanos();
            long spin = options.spin().toNanos();
            long countersDue = System.nanoTime() + period;
            long silence = options.serverTimeout().toNanos();
            long lastHeard = System.nanoTime();
            while (!closed) {
                long wait = Math.min(countersDue, lastHeard + silence) - System.nanoTime();
                List<Message> messages = link.poll(wait, spin);
                if (!messages.isEmpty()) {
                    lastHeard = System.nanoTime(); // any frame: the server's pings keep an idle link alive
                } else if (System.nanoTime() - (lastHeard + silence) >= 0) {
                    throw new IOException("no frame from the server for " + DurationText.of(options.serverTimeout())
                            + " (frozen?)");
                }
                for (Message message : messages) {
                    receive(link, message);
                }
                if (System.nanoTime() - countersDue >= 0) {
                    current.sendCounters(live);
                    Map<Long, Boolean> stale = armed.staleHolds(decided);
                    if (!stale.isEmpty()) {
                        scheduling.apply(stale);
                    }
                    countersDue = System.nanoTime() + period;
                }
            }
        } catch (IOException e) {
            ending = e.getMessage();
        } catch (RuntimeException e) {
            ending = "this process failed serving the link: " + e;
            fault = e;
        } finally {
            lose(current);
        }
        String reason = lastReason;
        return new Loss(reason != null ? reason : ending, reason != null || fault != null, fault);
    }

    private void receive(FrameLink link, Message message) {
        switch (message) {
            // Answered here, on the I/O thread: a process whose application threads are busy still
            // answers, one that is frozen does not.
            case Message.Ping ping -> link.send(new Message.Pong(ping.sequence()));
            case Message.Decision d -> {
                traffic.decisionFrames.incrementAndGet();
                Map<Long, Boolean> arrived = new HashMap<>();
                for (Message.QueueDecision q : d.queues()) {
                    (q.suspended() ? traffic.suspends : traffic.resumes).incrementAndGet();
                    if (live.containsKey(q.queueId())) {
                        armed.beforeDecision(q.queueId());
                        decided.put(q.queueId(), q.suspended());
                        arrived.put(q.queueId(), q.suspended());
                    }
                }
                scheduling.apply(arrived); // at once, on this thread; then a round reconciles
            }
            case Message.RaiseOnReady r -> raising.set(r.queueId(), live::get, r.words());
            case Message.Error e -> lastReason = e.reason(); // part of the one warning about the loss
            default -> {
                // Nothing else is addressed to a scheduling client.
            }
        }
    }

    /**
     * The connection is gone: every queue runs at once. A store would have nobody to answer it, so
     * no queue waits on its word or stores into others'; and the resume goes to every queue as a
     * fresh decision, not only through a round that applies the (empty) answer, since only a fresh
     * one lowers a flag that a store raised. The run comes first and each step on its own, so that
     * a step that throws (a queue on a GPU in a sticky fault) neither keeps a queue suspended nor
     * ends the I/O thread; after the disarms the run goes out again, for a raise that fired before
     * its queue's disarm. Never throws.
     */
    private void lose(Session lost) {
        synchronized (this) {
            if (session == lost) {
                session = new Session(lost.epoch, null, traffic);
            }
        }
        quietly("closing the link", lost.link::close);
        quietly("stopping the stores into other processes' words", raising::clear);
        decided.clear();
        Map<Long, Boolean> run = new HashMap<>();
        live.keySet().forEach(id -> run.put(id, false));
        quietly("resuming every queue", () -> scheduling.apply(run)); // then asks for a round
        quietly("asking for a round", scheduling::redecide); // for when there are no queues
        if (armed.lost() > 0) { // each on its own, never throws
            quietly("resuming every queue after the disarms", () -> scheduling.apply(run));
        }
    }

    /** Runs one step of {@link #lose}, logging what it throws rather than skipping the steps after it. */
    private static void quietly(String step, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "losing the scheduler server: " + step + " failed", e);
        }
    }

    /** @return whether the source was closed meanwhile */
    private boolean sleep(long nanos) {
        long until = System.nanoTime() + nanos;
        try {
            synchronized (this) {
                long left;
                while (!closed && (left = until - System.nanoTime()) > 0) { // the whole wait, wake-ups aside
                    TimeUnit.NANOSECONDS.timedWait(this, left);
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
        FrameLink current;
        synchronized (this) {
            closed = true;
            notifyAll();
            current = session.link;
        }
        if (current != null) {
            current.close();
        }
        FrameChannel pending = connecting;
        if (pending != null) {
            pending.close(); // unblocks the I/O thread's connect or handshake
        }
        Thread t = io;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        raising.close();
        armed.close(); // the file goes with the last word its queues give back as they close
    }

    /**
     * The stop word of queue {@code id} (for tests).
     *
     * @param id the queue's id
     * @return its word, or null if it has none (not armed, or not registered while connected yet)
     */
    StopWord stopWordOf(long id) {
        return armed.wordOf(id);
    }

    /**
     * Whether queue {@code id} stores into other processes' stop words when it turns ready (for tests).
     *
     * @param id the queue's id
     * @return whether the server's latest list for it, as applied, is not empty
     */
    boolean raisesOnReady(long id) {
        return raising.hasAction(id);
    }
}
