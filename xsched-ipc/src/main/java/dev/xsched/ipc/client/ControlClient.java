package dev.xsched.ipc.client;

import dev.xsched.core.policy.Hint;
import dev.xsched.ipc.internal.DurationText;
import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A tool's connection to the scheduler server ({@code xsched top}, {@code policy}, {@code hint}):
 * one request, one answer, on the same socket and protocol as the scheduling clients.
 *
 * <p>Every wait on the server has a deadline ({@link #DEFAULT_ANSWER_TIMEOUT} unless chosen): a
 * server stopped with SIGSTOP, or a socket whose program never answers, would otherwise hang the
 * tool for ever. A timer closes the channel when the deadline passes, which unblocks the read; the
 * client is unusable afterwards, as its connection may hold half an answer.
 */
public final class ControlClient implements AutoCloseable {
    /** How long {@link #connect(Path, String)} and each request wait for the server's answer. */
    public static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private final FrameChannel channel;
    private final Path socket;
    private final Duration answerTimeout;
    /** Set once a deadline closed the channel: later requests report the timeout, not a closed channel. */
    private volatile boolean timedOut;

    private ControlClient(FrameChannel channel, Path socket, Duration answerTimeout) {
        this.channel = channel;
        this.socket = socket;
        this.answerTimeout = answerTimeout;
    }

    /**
     * Connects as a control client named {@code tool}, waiting at most
     * {@link #DEFAULT_ANSWER_TIMEOUT} for the handshake and for each later answer.
     *
     * @param socket the server's Unix domain socket
     * @param tool   the name the server logs for this connection, for example {@code xsched-top}
     * @return the open client; close it to release the socket
     * @throws IOException as {@link #connect(Path, String, Duration)} says
     * @see #connect(Path, String, Duration)
     */
    public static ControlClient connect(Path socket, String tool) throws IOException {
        return connect(socket, tool, DEFAULT_ANSWER_TIMEOUT);
    }

    /**
     * Connects as a control client named {@code tool}: connection, handshake, hello and welcome,
     * each within {@code answerTimeout}, which also bounds every request's answer later.
     *
     * @param socket        the server's Unix domain socket
     * @param tool          the name the server logs for this connection, for example {@code xsched-top}
     * @param answerTimeout how long to wait for the server to answer (positive)
     * @return the open client; close it to release the socket
     * @throws IOException when no server listens at {@code socket} (the message says where it
     *                     looked), or it refused this user or speaks another protocol version, or
     *                     the socket's folder is one another user may have made (not this user's
     *                     or root's, in a folder others may write to) or is writable by others, or
     *                     the server did not answer within {@code answerTimeout} (the message says
     *                     "the scheduler server at PATH did not answer within ...")
     */
    public static ControlClient connect(Path socket, String tool, Duration answerTimeout) throws IOException {
        Objects.requireNonNull(answerTimeout, "answerTimeout");
        if (answerTimeout.isNegative() || answerTimeout.isZero()) {
            throw new IllegalArgumentException("answerTimeout must be positive, got " + answerTimeout);
        }
        SocketFolderCheck.check(socket);
        // Opened first so that the deadline's timer can close it while the connect or handshake blocks.
        FrameChannel channel = FrameChannel.open();
        ControlClient client = new ControlClient(channel, socket, answerTimeout);
        try {
            client.withinDeadline(() -> {
                try {
                    channel.connectTo(socket);
                } catch (IOException e) {
                    if (client.timedOut) {
                        throw e;
                    }
                    throw new IOException("no xsched server at " + socket + " (" + e.getMessage() + "); start one with "
                            + "'xsched server' or name its socket with --socket", e);
                }
                channel.send(new Message.Hello(ProcessHandle.current().pid(), tool, Message.Role.CONTROL));
                return expect(channel.receive(), Message.Welcome.class);
            });
            return client;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A snapshot of every queue the server schedules, as {@code xsched top} shows it.
     *
     * @return the server's status (the first rows only on a host with thousands of queues)
     * @throws IOException when the connection fails or the server answers something else
     */
    public Message.Status status() throws IOException {
        return request(new Message.StatusRequest(), Message.Status.class);
    }

    /**
     * The server's policy and the policies it has installed.
     *
     * @return the server's answer
     * @throws IOException when the connection fails or the server answers something else
     */
    public Message.PolicyInfo policy() throws IOException {
        return request(new Message.PolicyGet(), Message.PolicyInfo.class);
    }

    /**
     * Switches the server's policy on every GPU; the new policy receives every queue's hints and
     * decides before the answer is sent.
     *
     * @param name       an installed policy's name (installed in the server, not here)
     * @param parameters the policy's parameters by name, for example {@code slice=2ms}
     * @return the server's policies after the switch
     * @throws IllegalArgumentException with the server's reason (an unknown policy, a bad parameter);
     *                                  the old policy stays
     * @throws IOException when the connection fails or the server answers something else
     */
    public Message.PolicyInfo setPolicy(String name, Map<String, String> parameters) throws IOException {
        return request(new Message.PolicySet(name, parameters), Message.PolicyInfo.class);
    }

    /**
     * Gives queue {@code queue} (name or id) of process {@code pid} a hint. It reaches the server's
     * policy only: the process's own view of its hints does not change, and a hint the process
     * sets later for the same queue and type replaces it.
     *
     * @param pid   the process id, as {@code xsched top} shows it
     * @param queue the queue's name (every queue of that name gets it) or its id in the process
     * @param hint  a built-in hint
     * @return the server's confirmation, saying how many queues received it
     * @throws IllegalArgumentException with the server's reason (no such queue), or for a hint
     *                                  that cannot cross processes
     * @throws IOException when the connection fails or the server answers something else
     */
    public String hint(long pid, String queue, Hint hint) throws IOException {
        return request(new Message.RemoteHint(pid, FrameCodec.fit(queue), hint), Message.Ack.class).message();
    }

    /** Sends {@code request} and waits, within the deadline, for its answer of type {@code type}. */
    private <M extends Message> M request(Message request, Class<M> type) throws IOException {
        return withinDeadline(() -> {
            channel.send(request);
            return expect(channel.receive(), type);
        });
    }

    /**
     * Runs {@code exchange}, closing the channel if it takes longer than the answer timeout: the
     * close unblocks a connect, write or read in progress ({@link FrameChannel#close()}), whose
     * failure is then reported as the server's silence.
     */
    private <T> T withinDeadline(Exchange<T> exchange) throws IOException {
        if (timedOut) {
            throw silence();
        }
        ScheduledFuture<?> deadline = Deadlines.TIMER.schedule(() -> {
            timedOut = true;
            channel.close();
        }, answerTimeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            return exchange.run();
        } catch (IOException e) {
            if (timedOut) {
                // The close's AsynchronousCloseException says nothing the message does not.
                throw silence();
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    private IOException silence() {
        return new IOException("the scheduler server at " + socket + " did not answer within " + DurationText.of(answerTimeout)
                + " (stopped, overloaded, or not an xsched server)");
    }

    /** A connect, send or receive that may block on the server. */
    @FunctionalInterface
    private interface Exchange<T> {
        T run() throws IOException;
    }

    /**
     * The one timer thread of every client's deadlines: a daemon, so that it never keeps a tool's
     * JVM alive, and cancelled deadlines leave its queue at once.
     */
    private static final class Deadlines {
        static final ScheduledExecutorService TIMER = timer();

        private static ScheduledExecutorService timer() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> Thread.ofPlatform().daemon()
                    .name("xsched-control-deadline").unstarted(task));
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }

    private static <M extends Message> M expect(Message answer, Class<M> type) throws IOException {
        if (type.isInstance(answer)) {
            return type.cast(answer);
        }
        if (answer instanceof Message.Error error) {
            throw new IllegalArgumentException(error.reason());
        }
        throw new IOException("unexpected answer from the server: " + answer.getClass().getSimpleName());
    }

    @Override
    public void close() {
        channel.close();
    }
}
