package dev.xsched.ipc.client;

import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.ipc.protocol.ProtocolException;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A stand-in for the scheduler server that a test scripts: it welcomes each connection in turn,
 * records what the client sends, sends what the test tells it to and drops the connection when
 * told, so that a client's side of the protocol can be checked message by message.
 */
final class ScriptedServer implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel listener;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    /** Messages {@link #next} passed over, in order. */
    private final List<Message> skipped = new ArrayList<>();
    private final AtomicInteger welcomed = new AtomicInteger();
    private volatile SocketChannel current;
    private final Thread acceptor;

    /**
     * Listens at {@code socket} and serves one connection at a time.
     *
     * @param socket a path where nothing is
     * @throws IOException if it cannot listen there
     */
    ScriptedServer(Path socket) throws IOException {
        this.socket = socket;
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        acceptor = Thread.ofPlatform().daemon().name("scripted-server").start(this::serve);
    }

    private void serve() {
        while (listener.isOpen()) {
            try (SocketChannel client = listener.accept()) {
                readFully(client, ByteBuffer.allocate(FrameCodec.HANDSHAKE_BYTES));
                write(client, FrameCodec.handshake(FrameCodec.VERSION));
                if (!(read(client) instanceof Message.Hello)) {
                    throw new ProtocolException("the first message was not a hello");
                }
                write(client, FrameCodec.encode(new Message.Welcome(welcomed.get() + 1, "scripted")));
                current = client;
                welcomed.incrementAndGet();
                while (true) {
                    Message message;
                    try {
                        message = read(client);
                    } catch (IOException left) {
                        // The client left: an end of stream, or a reset where it closed with frames of
                        // ours still unread (a client that drops its link on a failure does).
                        break;
                    }
                    received.add(message);
                }
            } catch (EOFException | java.nio.channels.ClosedChannelException ended) {
                // The client left, the test dropped it, or the server closes: next connection.
            } catch (IOException | ProtocolException e) {
                if (listener.isOpen()) {
                    received.add(new Message.Error("scripted server: " + e));
                }
            } finally {
                current = null;
            }
        }
    }

    private static Message read(SocketChannel channel) throws IOException, ProtocolException {
        int length = readFully(channel, ByteBuffer.allocate(4)).getInt();
        return FrameCodec.decode(readFully(channel, ByteBuffer.allocate(length)));
    }

    /** Fills {@code into} from {@code channel} (blocking) and flips it; EOF before it is full is an {@link EOFException}. */
    static ByteBuffer readFully(SocketChannel channel, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into) < 0) {
                throw new EOFException();
            }
        }
        return into.flip();
    }

    /** Writes all of {@code bytes} to {@code channel} (blocking), one writer at a time. */
    static void write(SocketChannel channel, ByteBuffer bytes) throws IOException {
        synchronized (channel) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    /** Waits until {@code n} connections in all were welcomed (the current one included). */
    void awaitConnections(int n) {
        while (welcomed.get() < n || current == null) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * Waits until {@code n} connections in all were welcomed (the current one included), at most
     * {@code limit}: for a test whose failure is a client that never comes back.
     *
     * @return whether they were
     */
    boolean awaitConnections(int n, java.time.Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (welcomed.get() < n || current == null) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    /**
     * The next message of type {@code type} the client sent, waiting for it; the others before it
     * are kept for {@link #skipped()}.
     */
    <T extends Message> T next(Class<T> type) throws InterruptedException {
        while (true) {
            Message message = received.take();
            if (message instanceof Message.Error error && error.reason().startsWith("scripted server:")) {
                throw new AssertionError(error.reason());
            }
            if (type.isInstance(message)) {
                return type.cast(message);
            }
            skipped.add(message);
        }
    }

    /**
     * As {@link #next(Class)}, failing when no such message came within {@code limit}: for a test
     * whose failure is a client that never sends it.
     */
    <T extends Message> T next(Class<T> type, java.time.Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Message message = received.poll(deadline - System.nanoTime(), java.util.concurrent.TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no " + type.getSimpleName() + " within " + limit);
            }
            if (message instanceof Message.Error error && error.reason().startsWith("scripted server:")) {
                throw new AssertionError(error.reason());
            }
            if (type.isInstance(message)) {
                return type.cast(message);
            }
            skipped.add(message);
        }
    }

    /** {@return what {@link #next} passed over so far} */
    List<Message> skipped() {
        return skipped;
    }

    /** Sends {@code message} on the current connection (waiting for one). */
    void send(Message message) throws IOException {
        awaitConnections(1);
        SocketChannel channel = current;
        if (channel == null) {
            throw new IOException("no connection");
        }
        write(channel, FrameCodec.encode(message));
    }

    /** Closes the current connection, as a server that went away does. */
    void drop() throws IOException {
        SocketChannel channel = current;
        if (channel != null) {
            channel.close();
        }
    }

    /** Stops listening, drops the connection and removes the socket file. */
    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        drop();
        acceptor.join(10_000);
        Files.deleteIfExists(socket);
    }
}
