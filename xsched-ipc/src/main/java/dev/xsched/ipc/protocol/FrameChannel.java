package dev.xsched.ipc.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking connection to a scheduler server, handshake done: the client side and the tools use
 * it. {@link #send} and {@link #receive} may be called by one writer and one reader thread at once
 * (a failed send reads the server's last word only when no reader is busy). {@link #close()} from
 * any thread unblocks a connect, handshake or read in progress.
 */
public final class FrameChannel implements AutoCloseable {
    private final SocketChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(4);
    /** Held by the reader: {@link #receive} and a failed send's look at the server's last frame share {@link #header}. */
    private final ReentrantLock reading = new ReentrantLock();

    private FrameChannel(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Connects to the server at {@code socket} and exchanges handshakes. Blocks until the server
     * answers the handshake: without a timeout, so a server thread that is alive but stuck stalls
     * the caller (the server's single thread only ever waits in its selector). A caller that must
     * not wait for ever closes the channel from a timer ({@code ControlClient} does).
     *
     * @param socket the server's Unix domain socket
     * @return the open connection; close it to release the socket
     * @throws IOException when nothing listens there, or the server speaks another protocol version
     *                     (the message carries the server's reason)
     */
    public static FrameChannel connect(Path socket) throws IOException {
        FrameChannel connection = open();
        try {
            connection.connectTo(socket);
            return connection;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * An unconnected channel, for a caller that must be able to abandon the connect: publish it
     * where another thread can {@link #close()} it, then call {@link #connectTo}.
     *
     * @return the channel; close it when done or when {@link #connectTo} failed
     * @throws IOException if no socket can be opened
     */
    public static FrameChannel open() throws IOException {
        return new FrameChannel(SocketChannel.open(StandardProtocolFamily.UNIX));
    }

    /**
     * Connects a channel from {@link #open()} and exchanges handshakes, blocking as {@link #connect}
     * does, until the server answers or another thread closes this channel.
     *
     * @param socket the server's Unix domain socket
     * @throws IOException as {@link #connect}, and when closed meanwhile
     */
    public void connectTo(Path socket) throws IOException {
        channel.connect(UnixDomainSocketAddress.of(socket));
        handshake(FrameCodec.VERSION);
    }

    /** Sends {@code version}'s handshake and checks the answer (package-private for protocol tests). */
    void handshake(short version) throws IOException {
        writeFully(FrameCodec.handshake(version));
        ByteBuffer answer = ByteBuffer.allocate(FrameCodec.HANDSHAKE_BYTES);
        readFully(answer);
        short serverVersion;
        try {
            serverVersion = FrameCodec.readHandshake(answer.flip());
        } catch (ProtocolException e) {
            throw new IOException(e.getMessage());
        }
        if (serverVersion != version) {
            String reason = "server speaks protocol version " + serverVersion + ", this client " + version;
            try {
                if (receive() instanceof Message.Error error) {
                    reason = error.reason();
                }
            } catch (IOException ignored) {
                // The server may close before its reason arrives; the versions say enough.
            }
            throw new IOException(reason);
        }
    }

    /**
     * Writes one message (blocking until the kernel took all of it). Writers are serialised, so
     * frames of concurrent senders never interleave.
     *
     * @param message the message; it must fit the protocol's bounds
     * @throws IllegalArgumentException if it does not ({@link FrameCodec#encode})
     * @throws IOException when the server closed the connection: with the server's reason where it
     *                     sent one before closing (a refused peer, a protocol error)
     */
    public void send(Message message) throws IOException {
        try {
            writeFully(FrameCodec.encode(message));
        } catch (IOException e) {
            // A write fails once the server has closed; what it said last is still readable, unless
            // a reader thread is busy, which then receives it itself.
            if (!reading.tryLock()) {
                throw e;
            }
            Message last;
            try {
                last = receive();
            } catch (IOException nothing) {
                throw e;
            } finally {
                reading.unlock();
            }
            throw last instanceof Message.Error error ? new IOException(error.reason(), e) : e;
        }
    }

    private synchronized void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * Reads the next message, blocking without a timeout until one arrives. One reader thread at
     * a time.
     *
     * @return the message
     * @throws EOFException when the server closed the connection
     * @throws IOException  on malformed input from the server
     */
    public Message receive() throws IOException {
        reading.lock();
        try {
            return receiveFrame();
        } finally {
            reading.unlock();
        }
    }

    private Message receiveFrame() throws IOException {
        header.clear();
        readFully(header);
        header.flip();
        int length;
        try {
            length = FrameCodec.peekLength(header);
            ByteBuffer frame = ByteBuffer.allocate(length);
            readFully(frame);
            return FrameCodec.decode(frame.flip());
        } catch (ProtocolException e) {
            throw new IOException("malformed frame from the server: " + e.getMessage());
        }
    }

    private void readFully(ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into) < 0) {
                throw new EOFException("the server closed the connection");
            }
        }
    }

    /** The socket, for {@link FrameLink#of} to take over. */
    SocketChannel socket() {
        return channel;
    }

    /**
     * Whether {@link #close()} has not been called (a connection the server closed stays open
     * here until a read or write finds out).
     *
     * @return true until closed locally
     */
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to release beyond the descriptor, which close() frees even when it reports an error.
        }
    }
}
