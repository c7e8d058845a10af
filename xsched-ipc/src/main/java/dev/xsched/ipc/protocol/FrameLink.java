package dev.xsched.ipc.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection to the scheduler server, handshake done, on which any thread writes without ever
 * blocking and one thread reads.
 *
 * <p>{@link #send} writes the frame straight into the socket from the calling thread (the
 * client's scheduling thread: no hand-off to an I/O thread). Only when the socket's buffer is full
 * does the rest wait in a bounded queue, which the reading thread flushes as the socket drains;
 * past the bound the link fails (the server does not read). {@link #poll} is the reading thread's
 * only call: it waits for frames, optionally spinning briefly first, and flushes what waits.
 */
public final class FrameLink implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final long pendingLimit;
    private final ByteBuffer in = ByteBuffer.allocate(FrameCodec.MAX_FRAME_BYTES + 4);
    // Guarded by this.
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long pendingBytes;
    private volatile String failure;

    private FrameLink(SocketChannel channel, long pendingLimit) throws IOException {
        this.channel = channel;
        this.pendingLimit = pendingLimit;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        try {
            this.key = channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    /**
     * Takes over {@code connected}'s socket (nothing of it may be used afterwards).
     *
     * @param connected    a channel whose handshake is done
     * @param pendingLimit the most bytes that may wait for a full socket before the link fails
     * @return the link, its socket switched to non-blocking mode
     * @throws IOException if the socket cannot be made non-blocking or registered with a selector
     */
    public static FrameLink of(FrameChannel connected, long pendingLimit) throws IOException {
        if (pendingLimit < FrameCodec.MAX_FRAME_BYTES + 4) {
            throw new IllegalArgumentException("pendingLimit must hold one frame, got " + pendingLimit);
        }
        try {
            return new FrameLink(connected.socket(), pendingLimit);
        } catch (IOException | RuntimeException e) {
            connected.close();
            throw e;
        }
    }

    /**
     * Writes {@code message} now, as far as the socket takes it; never blocks.
     *
     * @param message the frame to send
     * @return false when the link has failed (now or before): the caller's message is lost with
     *         the connection, and {@link #poll} reports the failure to the reading thread
     */
    public synchronized boolean send(Message message) {
        if (failure != null) {
            return false;
        }
        ByteBuffer frame = FrameCodec.encode(message);
        try {
            if (pending.isEmpty()) {
                channel.write(frame);
                if (!frame.hasRemaining()) {
                    return true;
                }
            }
        } catch (IOException | CancelledKeyException e) {
            fail("write failed: " + e.getMessage());
            return false;
        }
        if (pendingBytes + frame.remaining() > pendingLimit) {
            fail(pendingBytes + " bytes wait for the server, limit " + pendingLimit + ": the server does not read");
            return false;
        }
        pending.add(frame);
        pendingBytes += frame.remaining();
        try {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } catch (CancelledKeyException e) {
            fail("closed");
            return false;
        }
        selector.wakeup();
        return true;
    }

    /**
     * Waits until frames arrive or {@code timeoutNanos} pass, first checking without blocking for
     * up to {@code spinNanos}; flushes waiting writes. For the one reading thread.
     *
     * @param timeoutNanos the longest wait, in nanoseconds
     * @param spinNanos    how long to check without blocking first, in nanoseconds (0: block at once)
     * @return the complete messages read, in order (empty on timeout)
     * @throws EOFException when the server closed the connection
     * @throws IOException  when the link failed (a write, the bound of waiting writes, or
     *                      malformed input), with the reason
     */
    public List<Message> poll(long timeoutNanos, long spinNanos) throws IOException {
        try {
            return pollOpen(timeoutNanos, spinNanos);
        } catch (ClosedSelectorException | CancelledKeyException e) {
            checkFailure();
            throw new IOException("closed", e);
        }
    }

    private List<Message> pollOpen(long timeoutNanos, long spinNanos) throws IOException {
        checkFailure();
        if (selector.selectNow() == 0 && spinNanos > 0) {
            long until = System.nanoTime() + spinNanos;
            while (selector.selectNow() == 0 && System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
        }
        if (selector.selectedKeys().isEmpty()) {
            selector.select(Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
        }
        selector.selectedKeys().clear();
        checkFailure();
        if (key.isValid() && key.isWritable()) {
            flush();
        }
        return read();
    }

    private List<Message> read() throws IOException {
        int n = channel.read(in);
        if (n < 0) {
            throw new EOFException("the server closed the connection");
        }
        List<Message> messages = new ArrayList<>(1);
        in.flip();
        try {
            int length;
            while ((length = FrameCodec.peekLength(in)) > 0 && in.remaining() >= 4 + length) {
                ByteBuffer frame = in.slice(in.position() + 4, length);
                in.position(in.position() + 4 + length);
                messages.add(FrameCodec.decode(frame));
            }
        } catch (ProtocolException e) {
            throw new IOException("malformed frame from the server: " + e.getMessage());
        } finally {
            in.compact();
        }
        return messages;
    }

    private synchronized void flush() throws IOException {
        try {
            while (!pending.isEmpty()) {
                ByteBuffer head = pending.peek();
                pendingBytes -= channel.write(head);
                if (head.hasRemaining()) {
                    return;
                }
                pending.poll();
            }
            key.interestOps(SelectionKey.OP_READ);
        } catch (IOException e) {
            fail("write failed: " + e.getMessage());
            checkFailure();
        }
    }

    private void checkFailure() throws IOException {
        String reason = failure;
        if (reason != null) {
            throw new IOException(reason);
        }
    }

    /** Marks the link failed and wakes the reading thread, which then reports it. */
    private void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
        selector.wakeup();
    }

    /**
     * Whether {@link #send} still writes.
     *
     * @return true while there is no failure and the link is not closed
     */
    public boolean isOpen() {
        return failure == null && channel.isOpen();
    }

    /** Closes the socket and wakes the reading thread; idempotent, from any thread. */
    @Override
    public void close() {
        fail("closed");
        try {
            channel.close();
        } catch (IOException ignored) {
            // The descriptor is freed even when close reports an error.
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // As above.
        }
    }
}
