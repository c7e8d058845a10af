package dev.xsched.ipc.protocol;

import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's link: writes from any thread without blocking, one reader, a bounded backlog. */
class FrameLinkTest {
    private static final Duration LIMIT = Duration.ofMinutes(1);
    private static final UUID GPU = new UUID(1, 2);

    @TempDir
    Path dir;
    private ServerSocketChannel listener;
    private SocketChannel server;

    @BeforeEach
    void listen() throws IOException {
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
    }

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
        listener.close();
    }

    /** A client link whose server side this test plays by hand (the handshake answered). */
    private FrameLink connect(long pendingLimit) throws Exception {
        CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                SocketChannel channel = listener.accept();
                ByteBuffer hello = ByteBuffer.allocate(FrameCodec.HANDSHAKE_BYTES);
                while (hello.hasRemaining()) {
                    channel.read(hello);
                }
                channel.write(FrameCodec.handshake(FrameCodec.VERSION));
                return channel;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        FrameChannel channel = FrameChannel.connect(dir.resolve("s.sock"));
        server = accepted.get(30, TimeUnit.SECONDS);
        return FrameLink.of(channel, pendingLimit);
    }

    private List<Message> readAtServer(int count) throws IOException, ProtocolException {
        List<Message> messages = new ArrayList<>();
        ByteBuffer in = ByteBuffer.allocate(FrameCodec.MAX_FRAME_BYTES + 4);
        while (messages.size() < count) {
            if (server.read(in) < 0) {
                throw new IOException("closed");
            }
            in.flip();
            int length;
            while ((length = FrameCodec.peekLength(in)) > 0 && in.remaining() >= 4 + length) {
                messages.add(FrameCodec.decode(in.slice(in.position() + 4, length)));
                in.position(in.position() + 4 + length);
            }
            in.compact();
        }
        return messages;
    }

    @Test
    void sendsFromTheCallingThreadAndReadsDecisionsInOrder() throws Exception {
        Watchdog.within(LIMIT, () -> {
            try (FrameLink link = connect(1 << 20)) {
                assertThat(link.send(new Message.QueueReady(7, 123))).isTrue();
                assertThat(link.send(new Message.QueueIdle(7, 456))).isTrue();
                assertThat(readAtServer(2)).containsExactly(new Message.QueueReady(7, 123), new Message.QueueIdle(7, 456));

                Message.Decision first = new Message.Decision(List.of(new Message.QueueDecision(7, true)));
                Message.Decision second = new Message.Decision(List.of(new Message.QueueDecision(7, false)));
                ByteBuffer both = ByteBuffer.allocate(64);
                both.put(FrameCodec.encode(first)).put(FrameCodec.encode(second)).flip();
                // Split mid-frame: the link must assemble frames across reads.
                server.write(both.slice(0, 5));
                List<Message> got = new ArrayList<>(link.poll(TimeUnit.MILLISECONDS.toNanos(50), 0));
                server.write(both.position(5));
                while (got.size() < 2) {
                    got.addAll(link.poll(TimeUnit.SECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(20)));
                }
                assertThat(got).containsExactly(first, second);
                assertThat(link.poll(1_000_000, 0)).as("nothing more: a timeout returns no messages").isEmpty();
            }
        });
    }

    @Test
    void aServerThatDoesNotReadFailsTheLinkAtTheBoundInsteadOfBlockingTheSender() throws Exception {
        Watchdog.within(LIMIT, () -> {
            try (FrameLink link = connect(FrameCodec.MAX_FRAME_BYTES + 4)) {
                String name = "q".repeat(1000);
                int sent = 0;
                while (link.send(new Message.QueueCreated(sent, name, GPU, 8, 4))) {
                    sent++;
                }
                assertThat(sent).as("the socket buffer and the bounded backlog took some first").isPositive();
                assertThat(link.isOpen()).isFalse();
                assertThat(link.send(new Message.QueueClosed(1))).as("a failed link takes nothing more").isFalse();
                assertThatThrownBy(() -> link.poll(TimeUnit.SECONDS.toNanos(10), 0)).isInstanceOf(IOException.class)
                        .hasMessageContaining("the server does not read");
            }
        });
    }

    @Test
    void theBacklogIsFlushedByTheReaderOnceTheServerReadsAgain() throws Exception {
        Watchdog.within(LIMIT, () -> {
            try (FrameLink link = connect(64L << 20)) {
                String name = "q".repeat(1000);
                int sent = 0;
                // Far more than a socket buffer holds: the rest waits in the backlog.
                for (; sent < 4_000; sent++) {
                    assertThat(link.send(new Message.QueueCreated(sent, name, GPU, 8, 4))).isTrue();
                }
                CompletableFuture<List<Message>> received = CompletableFuture.supplyAsync(() -> {
                    try {
                        return readAtServer(4_000);
                    } catch (IOException | ProtocolException e) {
                        throw new IllegalStateException(e);
                    }
                });
                while (!received.isDone()) {
                    link.poll(TimeUnit.MILLISECONDS.toNanos(10), 0);
                }
                List<Message> messages = received.get();
                assertThat(messages).hasSize(4_000);
                assertThat(((Message.QueueCreated) messages.getLast()).queueId()).isEqualTo(3_999);
            }
        });
    }

    @Test
    void closingFromAnotherThreadWakesTheReader() throws Exception {
        Watchdog.within(LIMIT, () -> {
            FrameLink link = connect(1 << 20);
            CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    link.poll(TimeUnit.MINUTES.toNanos(10), 0);
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            link.close(); // before the reader's select or during it: either way the reader ends
            assertThat(reader.get(30, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
            assertThat(link.send(new Message.QueueClosed(1))).isFalse();
        });
    }

    @Test
    void theServerClosingEndsTheReaderWithEof() throws Exception {
        Watchdog.within(LIMIT, () -> {
            try (FrameLink link = connect(1 << 20)) {
                server.close();
                assertThatThrownBy(() -> {
                    while (true) {
                        link.poll(TimeUnit.SECONDS.toNanos(10), 0);
                    }
                }).isInstanceOf(java.io.EOFException.class);
            }
        });
    }
}
