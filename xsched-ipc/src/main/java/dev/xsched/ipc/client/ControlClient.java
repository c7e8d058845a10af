package dev.xsched.ipc.client;

import dev.xsched.core.policy.Hint;
import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A tool's connection to the scheduler server ({@code xsched top}, {@code policy}, {@code hint}):
 * one request, one answer, on the same socket and protocol as the scheduling clients.
 */
public final class ControlClient implements AutoCloseable {
    private final FrameChannel channel;

    private ControlClient(FrameChannel channel) {
        this.channel = channel;
    }

    /**
     * Connects as a control client named {@code tool}: connection, handshake, hello and welcome,
     * blocking until the server welcomed it (no timeout).
     *
     * @param socket the server's Unix domain socket
     * @param tool   the name the server logs for this connection, for example {@code xsched-top}
     * @return the open client; close it to release the socket
     * @throws IOException when no server listens at {@code socket} (the message says where it
     *                     looked), or it refused this user or speaks another protocol version, or
     *                     the socket's folder is one another user may have made (not this user's
     *                     or root's, in a folder others may write to) or is writable by others
     */
    public static ControlClient connect(Path socket, String tool) throws IOException {
        SocketFolderCheck.check(socket);
        FrameChannel channel;
        try {
            channel = FrameChannel.connect(socket);
        } catch (IOException e) {
            throw new IOException("no xsched server at " + socket + " (" + e.getMessage() + "); start one with "
                    + "'xsched server' or name its socket with --socket", e);
        }
        try {
            channel.send(new Message.Hello(ProcessHandle.current().pid(), tool, Message.Role.CONTROL));
            expect(channel.receive(), Message.Welcome.class);
            return new ControlClient(channel);
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
        channel.send(new Message.StatusRequest());
        return expect(channel.receive(), Message.Status.class);
    }

    /**
     * The server's policy and the policies it has installed.
     *
     * @return the server's answer
     * @throws IOException when the connection fails or the server answers something else
     */
    public Message.PolicyInfo policy() throws IOException {
        channel.send(new Message.PolicyGet());
        return expect(channel.receive(), Message.PolicyInfo.class);
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
        channel.send(new Message.PolicySet(name, parameters));
        return expect(channel.receive(), Message.PolicyInfo.class);
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
        channel.send(new Message.RemoteHint(pid, FrameCodec.fit(queue), hint));
        return expect(channel.receive(), Message.Ack.class).message();
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
