package dev.xsched.ipc.server;

import dev.xsched.core.policy.Policies;
import dev.xsched.ipc.internal.DurationText;
import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.ipc.protocol.ProtocolException;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The scheduler server: one thread, one selector, a Unix domain socket. It reads the queue-state
 * messages of every connected process, runs one policy per GPU ({@link Coordinator}) and writes
 * the decisions back, never blocking on any client: a client that does not read has its
 * connection closed once its bounded write buffer is full. Malformed input closes only the
 * offending connection, with the reason logged and sent. A client whose socket closes (exit,
 * crash, {@code kill -9}) has its queues dropped at once and the policy re-run.
 *
 * <p>Liveness: every scheduling client gets a {@link Message.Ping} each
 * {@link ServerOptions#heartbeat() heartbeat}, which its I/O thread answers; one from which no
 * frame at all arrived for {@link ServerOptions#clientTimeout()} (frozen by {@code SIGSTOP} or a
 * debugger) is dropped as a closed one is, so that its ready queues do not keep other processes'
 * queues suspended for ever. Its clients likewise count a server that sends nothing as lost.
 *
 * <p>Only processes of the server's own user (or of the allowed users and groups) may connect:
 * the peer's credentials come from the kernel ({@code SO_PEERCRED}). There is no TCP listener.
 */
public final class SchedulerServer implements AutoCloseable {
    private final ServerOptions options;
    private final ServerLog log;
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final Coordinator coordinator;
    private final String ownUser;
    private final Map<Long, Connection> byClient = new HashMap<>();
    private final Map<Connection, String> toClose = new LinkedHashMap<>();
    /** Refused peers, kept until they close (at most {@link #REFUSED_GRACE_NANOS}) so that they read why. */
    private final List<Connection> refused = new java.util.ArrayList<>();
    private static final long REFUSED_GRACE_NANOS = 2_000_000_000L;
    /** How long the server stops accepting after accept failed (out of descriptors): neither spin nor stop. */
    private static final long ACCEPT_PAUSE_NANOS = 100_000_000L;
    private final Admission admission;
    private SelectionKey acceptKey;
    /** When accepting resumes after a failure (server clock), or -1 while accepting. */
    private long acceptPausedUntil = -1;
    private boolean acceptFailureReported;
    private final ConcurrentLinkedQueue<Task<?>> tasks = new ConcurrentLinkedQueue<>();
    /**
     * Set once the server's thread has left its loop and runs no more tasks: a task posted after
     * it is failed at once, and those it left behind are failed by the thread on its way out, so
     * that no caller of {@link #onServerThread} waits for a thread that is gone.
     */
    private volatile boolean tasksStopped;
    private final Thread thread;
    private final ServerMBean mbean;
    private volatile boolean running = true;
    /** What stopped the server's thread other than {@link #close()}, or null. */
    private volatile Throwable failure;
    private final AtomicBoolean withdrawn = new AtomicBoolean();
    /** The greeted scheduling connections: those pinged and timed out. */
    private final java.util.Set<Connection> scheduling = new java.util.LinkedHashSet<>();
    /** When the next ping is due (server clock), or {@code Long.MAX_VALUE} while no scheduling client is connected. */
    private long nextPing = Long.MAX_VALUE;
    /**
     * When to look for silent scheduling clients next: no earlier than the earliest deadline, as
     * last computed (a frame since only moves a deadline later), or {@code Long.MAX_VALUE}.
     */
    private long nextTimeoutCheck = Long.MAX_VALUE;
    private long pingSequence;

    private SchedulerServer(ServerOptions options, ServerLog log) throws IOException {
        this.options = options;
        this.log = log;
        this.ownUser = Files.getOwner(Path.of("/proc/self")).getName();
        this.admission = new Admission(options.limits());
        this.coordinator = new Coordinator(options.clock(), options.policy(), options.parameters(), Policies::create,
                this::deliver, options.limits());
        SocketFiles.prepare(options.socket());
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listener.bind(UnixDomainSocketAddress.of(options.socket()));
            Files.setPosixFilePermissions(options.socket(), SocketFiles.SOCKET_MODE);
            listener.configureBlocking(false);
            acceptKey = listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            listener.close();
            selector.close();
            throw e;
        }
        this.thread = Thread.ofPlatform().name("xsched-server").daemon(false).unstarted(this::loop);
        this.mbean = options.jmx() ? ServerMBean.register(this) : null;
        thread.start();
        log.line(System.Logger.Level.INFO, "listening at " + options.socket() + ", policy "
                + coordinator.policyName() + ", user " + ownUser);
    }

    /**
     * Binds the socket and starts serving, logging through {@link ServerLog#system()}.
     *
     * @param options socket, policy, access and limits
     * @return the running server; its thread is not a daemon, so the JVM lives until {@link #close()}
     * @throws IOException when the socket's folder belongs to another user or is open to other
     *                     users, another server listens there, or binding fails
     * @throws IllegalArgumentException for an unknown policy or bad parameters
     */
    public static SchedulerServer start(ServerOptions options) throws IOException {
        return start(options, ServerLog.system());
    }

    /**
     * Binds the socket and starts serving. Creates the socket's folder with mode 0700 if missing
     * (an existing one must be owned by the server's user, with mode 0700 or 0770), removes a stale
     * socket file of a dead server, and makes the socket file 0660.
     *
     * @param options socket, policy, access and limits
     * @param log     receives a line per connect, disconnect and policy switch
     * @return the running server; its thread is not a daemon, so the JVM lives until {@link #close()}
     * @throws IOException when the socket's folder belongs to another user or is open to other
     *                     users, another server listens there, or binding fails
     * @throws IllegalArgumentException for an unknown policy or bad parameters
     */
    public static SchedulerServer start(ServerOptions options, ServerLog log) throws IOException {
        return new SchedulerServer(options, log);
    }

    /**
     * Where the server listens.
     *
     * @return the socket's path from the options
     */
    public Path socket() {
        return options.socket();
    }

    /**
     * The CPU time the server's thread (the selector, the policies, every read and write) has used
     * since it started, in nanoseconds; -1 where the JVM cannot measure a thread's CPU time. The
     * figure for "how much does the server cost", also where the server shares its JVM.
     *
     * @return nanoseconds of CPU time, or -1
     */
    public long threadCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(thread.threadId()) : -1;
    }

    /**
     * The CPU time this whole JVM has used (the server's thread, and the JIT compiler and garbage
     * collector, which count once the server has a JVM of its own), in nanoseconds; -1 where the
     * platform does not report it.
     *
     * @return nanoseconds of CPU time, or -1
     */
    public static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    /**
     * Runs {@code query} on the server's thread and returns its result: the way to read or change
     * the scheduling state from elsewhere (JMX, tests). Blocks the caller until the server thread
     * ran it, at most 30 s; the query must be short, since every client waits meanwhile.
     *
     * @param <T>   the result's type
     * @param query reads or changes the coordinator; runs on the server's thread
     * @return what {@code query} returned
     * @throws RuntimeException what {@code query} threw
     * @throws Error what {@code query} threw; an {@link Error} also stops the server, as any
     *               {@code Error} on its thread does ({@link #awaitTermination()})
     * @throws IllegalStateException if the server thread has stopped, also one that stopped (closed,
     *                               or ended by an {@code Error}) before it ran the query, which is
     *                               then failed at once rather than waited for; or if it did not
     *                               answer in 30 s, or the caller was interrupted (its flag is set again)
     */
    public <T> T onServerThread(Function<Coordinator, T> query) {
        if (Thread.currentThread() == thread) {
            return query.apply(coordinator);
        }
        if (tasksStopped || !thread.isAlive()) {
            throw new IllegalStateException("the server thread has stopped");
        }
        Task<T> task = new Task<>(query);
        tasks.add(task);
        if (tasksStopped) {
            // The thread left its loop meanwhile, perhaps after its last look at the queue: this
            // task (and any other left) is failed here rather than waited for.
            failPendingTasks();
        } else {
            selector.wakeup();
        }
        try {
            return task.result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("the server thread did not answer in 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A query posted to the server's thread, and its caller's answer. */
    private final class Task<T> {
        final Function<Coordinator, T> query;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Task(Function<Coordinator, T> query) {
            this.query = query;
        }

        void run() {
            try {
                result.complete(query.apply(coordinator));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            } catch (Error e) {
                result.completeExceptionally(e);
                throw e; // stops the server, as any Error on its thread does
            }
        }

        void fail() {
            result.completeExceptionally(new IllegalStateException("the server thread has stopped"));
        }
    }

    /** Fails every task still queued: the server's thread will not run them. Safe from any thread. */
    private void failPendingTasks() {
        Task<?> task;
        while ((task = tasks.poll()) != null) {
            task.fail();
        }
    }

    private void loop() {
        Throwable stoppedBy = null;
        try {
            while (running) {
                long wake = Math.min(coordinator.nextWakeUp(), housekeepingDue());
                long timeoutMillis = 0; // 0: no timer, wait for I/O
                if (wake != Long.MAX_VALUE) {
                    long nanos = wake - options.clock().nanoTime();
                    timeoutMillis = nanos <= 0 ? -1 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
                }
                if (timeoutMillis < 0) {
                    selector.selectNow();
                } else if (!spinForKeys(wake)) {
                    if (running && tasks.isEmpty()) {
                        selector.select(timeoutMillis);
                    } else {
                        // A task or close is waiting (posted during the spin, its wake-up taken by a
                        // selectNow, or posted while the last ones ran): no wait, but the sockets
                        // ready now are still served in this wake-up. Skipping the selection instead
                        // let a steady stream of tasks (one JMX or tool query after another) keep
                        // every client's frames unread: in a test that asked a question per
                        // heartbeat, the pongs went unread for 10 s and a live client was dropped
                        // as silent.
                        selector.selectNow();
                    }
                }
                // The tasks waiting now, not those posted while they run: a steady stream of queries
                // would otherwise hold the thread here and leave every socket unserved.
                Task<?> task;
                for (int waiting = tasks.size(); waiting > 0 && (task = tasks.poll()) != null; waiting--) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else {
                        serve((Connection) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
                // Every frame this wake-up brought is in: each GPU's policy runs once for all of them.
                coordinator.decidePending();
                coordinator.runDue();
                closeSilent();
                heartbeat();
                closePending();
                closeStaleRefused();
                resumeAcceptingWhenDue();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                stoppedBy = e;
            }
        } catch (RuntimeException | Error e) {
            stoppedBy = e; // a bug or an exhausted JVM: the state can no longer be trusted
        } finally {
            // No task runs any more: fail those posted and not taken (a close or an Error may have
            // ended the loop with some queued behind the one that threw), and any posted later.
            tasksStopped = true;
            failPendingTasks();
            try {
                shutdownConnections();
            } finally {
                if (stoppedBy != null) {
                    stop(stoppedBy);
                }
            }
        }
    }

    /**
     * The server's thread ends on an error: the socket goes too, so that clients find no server
     * (and run every queue) rather than a listener nobody serves, and {@link #awaitTermination}
     * reports the failure, for a supervisor to restart the server.
     */
    private void stop(Throwable stoppedBy) {
        failure = stoppedBy;
        withdraw();
        log.line(System.Logger.Level.ERROR, "stopped by an error: " + describe(stoppedBy) + "; the socket is closed");
    }

    /** One ready connection: reads, writes, or for a refused peer drains. Failures close only it. */
    private void serve(Connection connection) {
        SelectionKey key = connection.key;
        try {
            if (connection.refusedAt() >= 0) {
                if (connection.discardRefused()) {
                    release(connection, null);
                    refused.remove(connection);
                }
                return;
            }
            if (key.isReadable()) {
                read(connection);
            }
            if (key.isValid() && key.isWritable()) {
                connection.flush();
            }
        } catch (IOException e) {
            toClose.putIfAbsent(connection, "write failed: " + e.getMessage());
        } catch (RuntimeException e) {
            // A bug on one client's path (its input, a policy, the log) must not end every other's.
            log.line(System.Logger.Level.WARNING, "internal error serving " + connection.peer + ": " + describe(e));
            toClose.putIfAbsent(connection, "internal error: " + e);
        }
    }

    /**
     * Polls the sockets without blocking for up to the configured spin (never past the next
     * policy wake-up at {@code wake}), so that a frame arriving soon after the last one is taken
     * without a wake-up from the kernel.
     *
     * @return whether a key became ready
     */
    private boolean spinForKeys(long wake) throws IOException {
        long spin = options.spin().toNanos();
        if (spin == 0) {
            return false;
        }
        long start = System.nanoTime();
        long until = wake == Long.MAX_VALUE ? start + spin : Math.min(start + spin, start + (wake - options.clock().nanoTime()));
        do {
            if (selector.selectNow() > 0) {
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - until < 0 && running && tasks.isEmpty());
        return false;
    }

    /**
     * The earliest deadline of a refused peer, a silent connection, paused accepting, a ping or a
     * client's timeout, or {@code Long.MAX_VALUE}.
     */
    private long housekeepingDue() {
        long due = Math.min(admission.nextHelloDeadline(), Math.min(nextPing, nextTimeoutCheck));
        if (!refused.isEmpty()) {
            due = Math.min(due, refused.getFirst().refusedAt() + REFUSED_GRACE_NANOS);
        }
        return acceptPausedUntil >= 0 ? Math.min(due, acceptPausedUntil) : due;
    }

    private void accept() {
        SocketChannel channel;
        try {
            channel = listener.accept();
        } catch (IOException e) {
            pauseAccepting(e);
            return;
        }
        if (channel == null) {
            return;
        }
        acceptFailureReported = false;
        if (admission.isFull()) {
            refuseOverLimit(channel);
            return;
        }
        try {
            admit(channel);
        } catch (IOException | RuntimeException e) {
            log.line(System.Logger.Level.WARNING, "dropped an accepted connection that could not be set up: " + e);
            closeQuietly(channel);
        }
    }

    private void admit(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String user = principal.user().getName();
        String group = principal.group().getName();
        String peer = "user " + user + ", group " + group;
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        Connection connection = new Connection(channel, key, peer, options.writeBufferBytes(), options.clock().nanoTime());
        key.attach(connection);
        boolean allowed = user.equals(ownUser) || options.allowedUsers().contains(user) || options.allowedGroups().contains(group);
        admission.opened(connection, !allowed);
        if (!allowed) {
            log.line(System.Logger.Level.WARNING, "refused a connection from " + peer + ": not the server's user "
                    + ownUser + " and not allowed (--allow-user, --allow-group)");
            connection.refuse("permission denied for " + peer, options.clock().nanoTime());
            refused.add(connection);
        }
    }

    /** A peer beyond {@link ServerLimits#connections()}: told why and closed at once, holding nothing. */
    private void refuseOverLimit(SocketChannel channel) {
        String reason = "too many connections: the server's limit is " + options.limits().connections();
        if (admission.firstRefusalWhileFull()) {
            log.line(System.Logger.Level.WARNING, "refused a connection: " + reason
                    + " (ServerLimits.connections); further refusals are not logged until one closes");
        }
        try {
            channel.configureBlocking(false);
            Connection.tellRefusal(channel, reason);
        } catch (IOException ignored) {
            // Closed below either way.
        }
        closeQuietly(channel);
    }

    /**
     * Accepting failed, most likely for want of descriptors: the pending peer stays in the
     * backlog, so the listener would be ready again at once. Stop accepting for a moment instead
     * of spinning, and go on serving the connected clients.
     */
    private void pauseAccepting(IOException e) {
        if (!acceptFailureReported) {
            log.line(System.Logger.Level.WARNING, "accepting a connection failed (" + e + "); retrying every "
                    + ACCEPT_PAUSE_NANOS / 1_000_000 + " ms");
            acceptFailureReported = true;
        }
        acceptKey.interestOps(0);
        acceptPausedUntil = options.clock().nanoTime() + ACCEPT_PAUSE_NANOS;
    }

    private void resumeAcceptingWhenDue() {
        if (acceptPausedUntil >= 0 && options.clock().nanoTime() - acceptPausedUntil >= 0) {
            acceptPausedUntil = -1;
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    /** Connections without a hello past their deadline: closed with the reason. */
    private void closeSilent() {
        for (Connection c : admission.silentPastDeadline(options.clock().nanoTime())) {
            toClose.putIfAbsent(c, "no hello within " + options.limits().helloTimeout().toMillis() + " ms");
        }
    }

    /**
     * Pings every scheduling client when a heartbeat is due, and marks for closing those from
     * which nothing arrived for the client timeout (run after this wake-up's reads, so a frame
     * that waited in a socket while the server itself was stalled counts).
     */
    private void heartbeat() {
        if (scheduling.isEmpty()) {
            return;
        }
        long now = options.clock().nanoTime();
        if (now - nextPing >= 0) {
            Message.Ping ping = new Message.Ping(++pingSequence);
            for (Connection c : scheduling) {
                if (!toClose.containsKey(c)) {
                    reply(c, ping);
                }
            }
            nextPing = now + options.heartbeat().toNanos();
        }
        if (now - nextTimeoutCheck >= 0) {
            long timeout = options.clientTimeout().toNanos();
            long next = Long.MAX_VALUE;
            for (Connection c : scheduling) {
                long due = c.lastHeard + timeout;
                if (now - due >= 0) {
                    toClose.putIfAbsent(c, "no answer for " + DurationText.of(options.clientTimeout()));
                } else {
                    next = Math.min(next, due);
                }
            }
            nextTimeoutCheck = next;
        }
    }

    /** A connection is gone: it is pinged and timed out no more, and with the last one the timers stop. */
    private void forgetScheduling(Connection connection) {
        if (scheduling.remove(connection) && scheduling.isEmpty()) {
            nextPing = Long.MAX_VALUE;
            nextTimeoutCheck = Long.MAX_VALUE;
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }

    /** Closes a connection and forgets it. */
    private void release(Connection connection, String reason) {
        connection.close(reason);
        admission.closed(connection);
    }

    private void read(Connection connection) {
        try {
            connection.read(message -> {
                connection.lastHeard = options.clock().nanoTime(); // any frame shows the peer alive
                handle(connection, message);
                return !toClose.containsKey(connection);
            });
        } catch (ProtocolException e) {
            toClose.putIfAbsent(connection, "protocol error: " + e.getMessage());
        } catch (IOException e) {
            toClose.putIfAbsent(connection, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private void handle(Connection connection, Message message) throws ProtocolException {
        if (connection.clientId < 0) {
            if (!(message instanceof Message.Hello hello)) {
                throw new ProtocolException("the first message must be a hello, got " + message.getClass().getSimpleName());
            }
            connection.clientId = coordinator.join(hello);
            admission.greeted(connection);
            byClient.put(connection.clientId, connection);
            if (hello.role() == Message.Role.SCHEDULING) {
                long now = options.clock().nanoTime();
                if (scheduling.isEmpty()) {
                    nextPing = now + options.heartbeat().toNanos();
                }
                scheduling.add(connection);
                nextTimeoutCheck = Math.min(nextTimeoutCheck, connection.lastHeard + options.clientTimeout().toNanos());
            }
            log.line(System.Logger.Level.INFO, "client " + connection.clientId + " connected: pid " + hello.pid() + " ("
                    + hello.process() + "), " + hello.role().name().toLowerCase(java.util.Locale.ROOT) + ", " + connection.peer);
            reply(connection, new Message.Welcome(connection.clientId, coordinator.policyName()));
            return;
        }
        switch (message) {
            case Message.Hello h -> throw new ProtocolException("a second hello");
            case Message.Pong p -> {
                // Its arrival is all that counts (read).
            }
            case Message.PolicyGet g -> reply(connection, policyInfo());
            case Message.PolicySet s -> {
                try {
                    coordinator.setPolicy(s.name(), s.parameters());
                    log.line(System.Logger.Level.INFO, "policy switched to " + coordinator.policyName() + " by client "
                            + connection.clientId);
                    reply(connection, policyInfo());
                } catch (RuntimeException e) { // the factory's: nothing switched (Coordinator.setPolicy)
                    reply(connection, new Message.Error(FrameCodec.fit(reasonOf(e))));
                }
            }
            case Message.StatusRequest r -> reply(connection, fitting(withCpu(coordinator.status())));
            case Message.RemoteHint h -> {
                try {
                    int n = coordinator.remoteHint(h.pid(), h.queue(), h.hint());
                    reply(connection, new Message.Ack("hint " + h.hint() + " given to " + n + " queue(s)"));
                } catch (IllegalArgumentException e) {
                    reply(connection, new Message.Error(FrameCodec.fit(reasonOf(e))));
                }
            }
            default -> coordinator.receive(connection.clientId, message);
        }
    }

    /** An unexpected exception and where it was thrown, for one log line. */
    private static String describe(Throwable e) {
        StackTraceElement[] where = e.getStackTrace();
        return e + (where.length > 0 ? " at " + where[0] : "");
    }

    /** A refusal's text for the tool that asked: the message of a rejected argument, else the whole exception. */
    private static String reasonOf(RuntimeException e) {
        return e instanceof IllegalArgumentException && e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private Message.PolicyInfo policyInfo() {
        return new Message.PolicyInfo(coordinator.policyName(), Policies.names());
    }

    private Message.Status withCpu(Message.Status status) {
        return new Message.Status(status.now(), status.policy(), threadCpuNanos(), processCpuNanos(), status.queues());
    }

    /** A status that fits one frame: rows beyond the limit are left out (a huge host is rare). */
    private static Message.Status fitting(Message.Status status) {
        List<Message.QueueRow> rows = status.queues();
        while (true) {
            try {
                Message.Status candidate = new Message.Status(status.now(), status.policy(), status.serverThreadCpuNanos(),
                        status.serverProcessCpuNanos(), rows);
                FrameCodec.encode(candidate);
                return candidate;
            } catch (IllegalArgumentException tooBig) {
                rows = rows.subList(0, rows.size() / 2);
            }
        }
    }

    private void reply(Connection connection, Message message) {
        if (!connection.send(message)) {
            toClose.putIfAbsent(connection, connection.closeReason);
        }
    }

    /** The coordinator's outbox. */
    private void deliver(long clientId, Message message) {
        Connection connection = byClient.get(clientId);
        if (connection != null && !toClose.containsKey(connection)) {
            reply(connection, message);
        }
    }

    /** Closes the connections marked during this round; a client's leave may mark others (overflow). */
    private void closePending() {
        while (!toClose.isEmpty()) {
            var first = toClose.entrySet().iterator().next();
            Connection connection = first.getKey();
            String reason = first.getValue();
            // Queues dropped and the line logged before the socket closes: whoever sees the close
            // (a test, a tool) then finds the state and the log already updated.
            if (connection.clientId >= 0) {
                byClient.remove(connection.clientId);
                forgetScheduling(connection);
                int dropped = coordinator.leave(connection.clientId);
                log.line(System.Logger.Level.INFO, "client " + connection.clientId + " disconnected: " + reason
                        + "; dropped " + dropped + " queue(s)");
            } else {
                log.line(System.Logger.Level.WARNING, "closed a connection before its hello (" + connection.peer + "): "
                        + reason);
            }
            release(connection, reason);
            toClose.remove(connection);
        }
    }

    private void closeStaleRefused() {
        long now = options.clock().nanoTime();
        refused.removeIf(c -> {
            if (now - c.refusedAt() > REFUSED_GRACE_NANOS) {
                release(c, null);
                return true;
            }
            return false;
        });
    }

    private void shutdownConnections() {
        for (SelectionKey key : List.copyOf(selector.isOpen() ? selector.keys() : List.of())) {
            if (key.attachment() instanceof Connection c) {
                c.close("server shutting down");
            }
        }
        byClient.clear();
        scheduling.clear();
    }

    /** Stops serving: closes every connection (clients fail open) and removes the socket file. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        withdraw();
        log.line(System.Logger.Level.INFO, "stopped");
    }

    /**
     * Takes the server out of sight, once, on close or on a fatal error: closes the listener and the
     * selector, removes the socket file and unregisters the MBean.
     */
    private void withdraw() {
        if (!withdrawn.compareAndSet(false, true)) {
            return;
        }
        try {
            listener.close();
            selector.close(); // a channel closed while registered is only released with its selector
            Files.deleteIfExists(options.socket());
        } catch (IOException e) {
            log.line(System.Logger.Level.WARNING, "closing the server socket failed: " + e);
        }
        if (mbean != null) {
            mbean.unregister(); // a server that serves nothing must not show as one
        }
    }

    /**
     * Blocks until the server stops (for the command line): another thread called {@link #close()},
     * or the server's thread stopped on an error (logged at ERROR; the socket is then closed and
     * its file removed).
     *
     * @return true when stopped by {@link #close()}, false when stopped by an error
     * @throws InterruptedException if the waiting thread is interrupted; the server goes on
     */
    public boolean awaitTermination() throws InterruptedException {
        thread.join();
        return failure == null;
    }
}
