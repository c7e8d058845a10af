package dev.xsched.ipc.server;

import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.ipc.protocol.ProtocolException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One accepted socket on the server's selector: incremental frame reading, and a bounded queue of
 * frames to write without ever blocking. Owned by the server's thread.
 */
final class Connection {
    final SocketChannel channel;
    final SelectionKey key;
    final String peer;
    /** When it was accepted, on the server's clock: its hello is due within the hello timeout. */
    final long acceptedAt;
    private final int writeLimit;
    /**
     * Received bytes. Small until a frame needs more: a connection costs 1 KiB, not a whole frame's
     * bound, so that many idle or hostile peers cannot exhaust the heap (see {@link #fitReadBuffer}).
     */
    private ByteBuffer in = ByteBuffer.allocate(SMALL_READ_BUFFER);
    private static final int SMALL_READ_BUFFER = 1024;
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private long pendingBytes;
    private boolean handshakeDone;
    private long refusedAt = -1;
    private int discarded;
    long clientId = -1;
    String closeReason;
    /** When its last frame arrived (server clock); kept from its hello on for scheduling clients only. */
    long lastHeard;

    Connection(SocketChannel channel, SelectionKey key, String peer, int writeLimit, long acceptedAt) {
        this.channel = channel;
        this.key = key;
        this.peer = peer;
        this.writeLimit = writeLimit;
        this.acceptedAt = acceptedAt;
    }

    /** Takes the messages of a connection in order. */
    @FunctionalInterface
    interface Handler {
        /** @return false to stop reading (the connection is being closed) */
        boolean handle(Message message) throws ProtocolException;
    }

    /**
     * Reads what the socket has and hands each complete message to {@code handler}, in order, up
     * to the first malformed one. The handshake is answered here.
     *
     * @throws ProtocolException for malformed input (the caller closes with that reason)
     * @throws IOException       when the peer closed or the socket failed
     */
    void read(Handler handler) throws IOException, ProtocolException {
        int n = channel.read(in);
        if (n < 0) {
            throw new IOException("closed by the peer");
        }
        in.flip();
        try {
            if (!handshakeDone) {
                if (in.remaining() < FrameCodec.HANDSHAKE_BYTES) {
                    return;
                }
                short version = FrameCodec.readHandshake(in);
                enqueue(FrameCodec.handshake(FrameCodec.VERSION));
                if (version != FrameCodec.VERSION) {
                    throw new ProtocolException("protocol version " + version + " is not supported; this server speaks "
                            + FrameCodec.VERSION);
                }
                handshakeDone = true;
            }
            int length;
            while ((length = FrameCodec.peekLength(in)) > 0 && in.remaining() >= 4 + length) {
                ByteBuffer frame = in.slice(in.position() + 4, length);
                in.position(in.position() + 4 + length);
                if (!handler.handle(FrameCodec.decode(frame))) {
                    return;
                }
            }
        } finally {
            in.compact();
            fitReadBuffer();
        }
    }

    /**
     * Grows a full buffer towards the length of the frame it holds the start of, doubling at most,
     * so that memory follows the bytes a peer actually sent; gives a grown buffer back once what
     * it holds fits the small one again.
     */
    private void fitReadBuffer() {
        int held = in.position();
        int length = handshakeDone && held >= 4 ? in.getInt(0) : 0;
        int needed = length >= 1 && length <= FrameCodec.MAX_FRAME_BYTES ? 4 + length : held;
        int capacity = in.capacity();
        if (needed > capacity && held == capacity) {
            resize(Math.min(needed, 2 * capacity));
        } else if (capacity > SMALL_READ_BUFFER && needed <= SMALL_READ_BUFFER) {
            resize(SMALL_READ_BUFFER);
        }
    }

    private void resize(int capacity) {
        ByteBuffer resized = ByteBuffer.allocate(capacity);
        resized.put(in.flip());
        in = resized;
    }

    /** Capacity of the read buffer now (for tests of its growth). */
    int readBufferCapacity() {
        return in.capacity();
    }

    /**
     * Queues a message; writes as much as the socket takes now.
     *
     * @return false when the bounded buffer overflowed or the message does not fit the protocol
     *         (the caller closes the connection with {@link #closeReason})
     */
    boolean send(Message message) {
        ByteBuffer frame;
        try {
            frame = FrameCodec.encode(message);
        } catch (IllegalArgumentException e) {
            closeReason = "cannot send a " + message.getClass().getSimpleName() + ": " + e.getMessage();
            return false;
        }
        return enqueue(frame);
    }

    private boolean enqueue(ByteBuffer frame) {
        if (pendingBytes + frame.remaining() > writeLimit) {
            closeReason = "write buffer full (" + pendingBytes + " bytes pending, limit " + writeLimit
                    + "): the peer does not read";
            return false;
        }
        pendingBytes += frame.remaining();
        out.add(frame);
        try {
            flush();
        } catch (IOException e) {
            closeReason = "write failed: " + e.getMessage();
            return false;
        }
        return true;
    }

    /** Writes queued frames until the socket would block; asks for OP_WRITE while any remain. */
    void flush() throws IOException {
        while (!out.isEmpty()) {
            ByteBuffer head = out.peek();
            int written = channel.write(head);
            pendingBytes -= written;
            if (head.hasRemaining()) {
                break;
            }
            out.poll();
        }
        if (key.isValid()) {
            key.interestOps(out.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    /**
     * Refuses a peer: the server's handshake and the reason, then the end of the server's side, so
     * that a client of this protocol reads why. The socket stays open until the peer has closed
     * (see {@link #discardRefused}): closing it with the peer's bytes unread would reset the
     * connection and lose the reason. Never blocks.
     */
    void refuse(String reason, long now) {
        refusedAt = now;
        tellRefusal(channel, reason);
    }

    /**
     * Writes the server's handshake and {@code reason} to a peer that is refused, then ends the
     * server's side of the socket. Never blocks: the socket is fresh, its buffer empty.
     */
    static void tellRefusal(SocketChannel channel, String reason) {
        try {
            channel.write(new ByteBuffer[] {FrameCodec.handshake(FrameCodec.VERSION),
                    FrameCodec.encode(new Message.Error(FrameCodec.fit(reason)))});
            channel.shutdownOutput();
        } catch (IOException | RuntimeException ignored) {
            // The peer may be gone already; the refusal is logged by the server anyway.
        }
    }

    /** When it was refused (server clock), or -1. */
    long refusedAt() {
        return refusedAt;
    }

    /**
     * Reads and drops what a refused peer sends.
     *
     * @return whether to close now: the peer closed, or sent more than a client says before it reads
     */
    boolean discardRefused() {
        ByteBuffer scratch = ByteBuffer.allocate(1024);
        try {
            int n;
            while ((n = channel.read(scratch.clear())) > 0) {
                discarded += n;
            }
            return n < 0 || discarded > 4096;
        } catch (IOException e) {
            return true;
        }
    }

    /** Best effort: the reason as a last frame, then close. Never blocks. */
    void close(String reason) {
        if (handshakeDone || reason != null) {
            try {
                ByteBuffer last = FrameCodec.encode(new Message.Error(FrameCodec.fit(reason)));
                if (out.isEmpty()) {
                    channel.write(last);
                }
            } catch (IOException | RuntimeException ignored) {
                // The peer may be gone already; the reason is logged by the server anyway.
            }
        }
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a socket whose peer vanished can fail; nothing is left to release.
        }
    }
}
