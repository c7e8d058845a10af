package dev.xsched.ipc.server;

import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.ipc.protocol.ProtocolException;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers that connect and hold connections: a bounded number is served, silent ones are closed at
 * their hello deadline, and an idle connection costs a small buffer, not a frame's bound.
 */
class ConnectionFloodTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    @TempDir
    Path dir;
    final List<String> log = new CopyOnWriteArrayList<>();

    private SchedulerServer start(ServerLimits limits) throws IOException {
        return SchedulerServer.start(ServerOptions.defaults().withSocket(dir.resolve("s")).withJmx(false).withLimits(limits),
                (level, line) -> log.add(line));
    }

    private static SocketChannel raw(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return channel;
    }

    private static void readFully(SocketChannel channel, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into) < 0) {
                throw new EOFException();
            }
        }
        into.flip();
    }

    /** The server's handshake, then its one frame, read exactly (the server closes after it). */
    private static Message refusal(SocketChannel channel) throws IOException, ProtocolException {
        readFully(channel, ByteBuffer.allocate(FrameCodec.HANDSHAKE_BYTES));
        ByteBuffer length = ByteBuffer.allocate(4);
        readFully(channel, length);
        ByteBuffer frame = ByteBuffer.allocate(length.getInt());
        readFully(channel, frame);
        return FrameCodec.decode(frame);
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedWithTheReasonUntilOneCloses() throws Exception {
        Watchdog.within(LIMIT, () -> {
            try (SchedulerServer server = start(new ServerLimits(2, Duration.ofSeconds(30), 16, 4));
                 FrameChannel first = FrameChannel.connect(server.socket());
                 FrameChannel second = FrameChannel.connect(server.socket())) {
                for (int i = 0; i < 2; i++) {
                    try (SocketChannel third = raw(server.socket())) {
                        assertThat(refusal(third)).isEqualTo(new Message.Error("too many connections: the server's limit is 2"));
                    }
                }
                assertThat(log).filteredOn(l -> l.startsWith("refused a connection: too many connections")).hasSize(1);
                first.send(new Message.Hello(1, "first", Message.Role.CONTROL));
                assertThat(first.receive()).isInstanceOf(Message.Welcome.class);
                first.close();
                second.send(new Message.Hello(2, "second", Message.Role.CONTROL));
                assertThat(second.receive()).isInstanceOf(Message.Welcome.class);
                // The slot of the closed one is free again once the server has seen it close.
                FrameChannel again = null;
                while (again == null) {
                    FrameChannel attempt = FrameChannel.connect(server.socket());
                    try {
                        attempt.send(new Message.Hello(3, "again", Message.Role.CONTROL));
                        if (attempt.receive() instanceof Message.Welcome) {
                            again = attempt;
                        }
                    } catch (IOException refusedStill) {
                        Thread.onSpinWait();
                    } finally {
                        if (again == null) {
                            attempt.close();
                        }
                    }
                }
                again.close();
            }
        });
    }

    @Test
    void aPeerThatSaysNoHelloIsClosedAtItsDeadline() throws Exception {
        Watchdog.within(LIMIT, () -> {
            try (SchedulerServer server = start(new ServerLimits(8, Duration.ofMillis(200), 16, 4));
                 SocketChannel silent = raw(server.socket());
                 SocketChannel handshakeOnly = raw(server.socket())) {
                handshakeOnly.write(FrameCodec.handshake(FrameCodec.VERSION));
                ByteBuffer sink = ByteBuffer.allocate(1024);
                while (silent.read(sink.clear()) >= 0) {
                    Thread.onSpinWait(); // until the server closes it
                }
                while (handshakeOnly.read(sink.clear()) >= 0) {
                    Thread.onSpinWait();
                }
                assertThat(log).filteredOn(l -> l.startsWith("closed a connection before its hello")
                        && l.endsWith(": no hello within 200 ms")).hasSize(2);
            }
        });
    }

    @Test
    void theReadBufferStaysSmallUntilALargeFrameArrivesAndShrinksAfterIt() throws Exception {
        Watchdog.within(LIMIT, () -> {
            Path socket = dir.resolve("pair");
            try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                 Selector selector = Selector.open()) {
                listener.bind(UnixDomainSocketAddress.of(socket));
                try (SocketChannel peer = raw(socket); SocketChannel accepted = listener.accept()) {
                    accepted.configureBlocking(false);
                    SelectionKey key = accepted.register(selector, SelectionKey.OP_READ);
                    Connection connection = new Connection(accepted, key, "test", 64 * 1024, 0);
                    assertThat(connection.readBufferCapacity()).isEqualTo(1024);

                    Map<String, String> parameters = new java.util.LinkedHashMap<>();
                    for (int i = 0; i < 40; i++) {
                        parameters.put("p" + i, "v".repeat(1000));
                    }
                    ByteBuffer large = FrameCodec.encode(new Message.PolicySet("hpf", parameters));
                    int frameBytes = large.remaining();
                    peer.write(FrameCodec.handshake(FrameCodec.VERSION));
                    while (large.hasRemaining()) {
                        peer.write(large);
                    }
                    List<Message> received = new ArrayList<>();
                    int largest = 0;
                    while (received.isEmpty()) {
                        connection.read(m -> received.add(m));
                        largest = Math.max(largest, connection.readBufferCapacity());
                    }
                    assertThat(received).containsExactly(new Message.PolicySet("hpf", parameters));
                    assertThat(largest).isBetween(frameBytes, 2 * frameBytes);
                    assertThat(connection.readBufferCapacity()).as("given back").isEqualTo(1024);
                }
            }
        });
    }
}
