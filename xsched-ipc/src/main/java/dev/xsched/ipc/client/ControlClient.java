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
     * Connects as a control client named {@code tool}.
     *
     * @throws IOException when no server listens at {@code socket} (the message says where it looked)
     */
    public static ControlClient connect(Path socket, String tool) throws IOException {
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

    public Message.Status status() throws IOException {
        channel.send(new Message.StatusRequest());
        return expect(channel.receive(), Message.Status.class);
    }

    public Message.PolicyInfo policy() throws IOException {
        channel.send(new Message.PolicyGet());
        return expect(channel.receive(), Message.PolicyInfo.class);
    }

    /**
     * Switches the server's policy.
     *
     * @throws IllegalArgumentException with the server's reason (an unknown policy, a bad parameter)
     */
    public Message.PolicyInfo setPolicy(String name, Map<String, String> parameters) throws IOException {
        channel.send(new Message.PolicySet(name, parameters));
        return expect(channel.receive(), Message.PolicyInfo.class);
    }

    /**
     * Gives queue {@code queue} (name or id) of process {@code pid} a hint.
     *
     * @return the server's confirmation
     * @throws IllegalArgumentException with the server's reason (no such queue)
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
