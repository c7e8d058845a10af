package dev.xsched.ipc.server;

import dev.xsched.core.policy.Hint;
import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Malformed input against a live server: every bad connection is closed with a logged reason
 * while a well-behaved client on the same server keeps being served.
 */
class ServerFuzzTest {
    /**
     * The defaults with pings an hour apart: this test reads a raw client's frames one by one, and
     * a heartbeat's ping among them on a slow run would be taken for an answer.
     */
    private static final ServerOptions QUIET = ServerOptions.defaults().withHeartbeat(Duration.ofHours(1), Duration.ofHours(2));
    private static final Duration LIMIT = Duration.ofSeconds(120);
    @TempDir
    Path dir;
    final List<String> log = new CopyOnWriteArrayList<>();
    SchedulerServer server;
    FrameChannel healthy;

    @BeforeEach
    void start() throws Exception {
        // Blocking receives from the server's thread: a hang here must fail with the stacks too.
        Watchdog.within(LIMIT, () -> {
            server = SchedulerServer.start(QUIET.withSocket(dir.resolve("xsched.sock")).withJmx(false)
                    .withWriteBufferBytes(64 * 1024), (level, line) -> log.add(line));
            healthy = FrameChannel.connect(server.socket());
            healthy.send(new Message.Hello(1, "healthy", Message.Role.SCHEDULING));
            assertThat(healthy.receive()).isInstanceOf(Message.Welcome.class);
            healthy.send(new Message.QueueCreated(1, "steady", UUID.randomUUID(), 16, 8));
            assertThat(healthy.receive()).isEqualTo(new Message.Decision(List.of(new Message.QueueDecision(1, false))));
        });
    }

    @AfterEach
    void stop() {
        healthy.close();
        server.close();
    }

    /** The healthy client still gets answers (and answers the heartbeat's pings that came meanwhile). */
    private void healthyIsServed() throws IOException {
        healthy.send(new Message.StatusRequest());
        Message answer = healthy.receive();
        while (answer instanceof Message.Ping ping) {
            healthy.send(new Message.Pong(ping.sequence()));
            answer = healthy.receive();
        }
        assertThat(answer).isInstanceOf(Message.Status.class);
        assertThat(((Message.Status) answer).queues()).extracting(Message.QueueRow::name).contains("steady");
    }

    private SocketChannel raw() throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(server.socket()));
        return channel;
    }

    /** Reads until the server closes; returns everything it sent. */
    private static byte[] drain(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        while (channel.read(buffer) >= 0) {
            buffer.flip();
            all.write(buffer.array(), 0, buffer.limit());
            buffer.clear();
        }
        channel.close();
        return all.toByteArray();
    }

    /** Sends {@code bytes} after a valid handshake and returns the reason the server gave. */
    private String afterHandshake(ByteBuffer... frames) throws IOException {
        SocketChannel channel = raw();
        write(channel, FrameCodec.handshake(FrameCodec.VERSION));
        for (ByteBuffer frame : frames) {
            write(channel, frame);
        }
        ByteBuffer in = ByteBuffer.wrap(drain(channel));
        in.position(FrameCodec.HANDSHAKE_BYTES);
        String reason = null;
        while (in.remaining() >= 4) {
            int length = in.getInt();
            ByteBuffer frame = in.slice(in.position(), length);
            in.position(in.position() + length);
            try {
                if (FrameCodec.decode(frame) instanceof Message.Error error) {
                    reason = error.reason();
                }
            } catch (dev.xsched.ipc.protocol.ProtocolException e) {
                throw new AssertionError(e);
            }
        }
        return reason;
    }

    private static void write(SocketChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private static ByteBuffer hello() {
        return FrameCodec.encode(new Message.Hello(7, "fuzz", Message.Role.SCHEDULING));
    }

    @Test
    void randomBytesCloseTheConnectionAndNothingElse() throws Exception {
        Watchdog.within(LIMIT, () -> {
            Random random = new Random(20261201);
            for (int i = 0; i < 200; i++) {
                byte[] garbage = new byte[random.nextInt(300)];
                random.nextBytes(garbage);
                if (i % 2 == 1 && garbage.length >= 8) {
                    // Half the time past the handshake, so the frame parser sees the garbage.
                    System.arraycopy(FrameCodec.handshake(FrameCodec.VERSION).array(), 0, garbage, 0, 8);
                }
                SocketChannel channel = raw();
                write(channel, ByteBuffer.wrap(garbage));
                channel.shutdownOutput();
                drain(channel);
            }
            healthyIsServed();
            // Garbage never passes for a client: the healthy one is the only one that ever connected.
            assertThat(log).filteredOn(l -> l.contains(" connected: ")).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("client 1 connected: pid 1 (healthy), scheduling"));
            assertThat(log).filteredOn(l -> l.startsWith("closed a connection before its hello")).hasSizeGreaterThan(100);
        });
    }

    @Test
    void everyKindOfBadFrameIsNamedInTheReason() throws Exception {
        Watchdog.within(LIMIT, () -> {
            ByteBuffer oversized = ByteBuffer.allocate(4).putInt(FrameCodec.MAX_FRAME_BYTES + 1).flip();
            assertThat(afterHandshake(oversized)).isEqualTo("protocol error: frame length 262145 outside 1..262144");

            ByteBuffer truncated = FrameCodec.encode(new Message.QueueCreated(1, "q", UUID.randomUUID(), 16, 8));
            truncated.limit(truncated.limit() - 3).putInt(0, truncated.limit() - 4);
            assertThat(afterHandshake(hello(), truncated)).isEqualTo("protocol error: truncated frame");

            assertThat(afterHandshake(FrameCodec.encode(new Message.QueueReady(1, 0))))
                    .isEqualTo("protocol error: the first message must be a hello, got QueueReady");
            assertThat(afterHandshake(hello(), FrameCodec.encode(new Message.QueueReady(5, 0))))
                    .isEqualTo("protocol error: unknown queue id 5");
            assertThat(afterHandshake(hello(), hello())).isEqualTo("protocol error: a second hello");

            ByteBuffer priority300 = FrameCodec.encode(new Message.HintSet(1, new Hint.Priority(255)));
            priority300.putInt(priority300.limit() - 4, 300);
            assertThat(afterHandshake(hello(), FrameCodec.encode(new Message.QueueCreated(1, "q", UUID.randomUUID(), 16, 8)),
                    priority300)).isEqualTo("protocol error: invalid value: priority must be in [-255, 255], got 300");

            ByteBuffer unknownType = ByteBuffer.allocate(5).putInt(1).put((byte) 33).flip();
            assertThat(afterHandshake(hello(), unknownType)).isEqualTo("protocol error: unknown message type 33");

            // Stop words: a queue the client never registered, a path or an offset that no stop word
            // has, a message only the server sends.
            ByteBuffer created = FrameCodec.encode(new Message.QueueCreated(1, "q", UUID.randomUUID(), 16, 8));
            assertThat(afterHandshake(hello(), FrameCodec.encode(new Message.StopWordSet(5, "/dev/shm/xsched-1-2-stop", 0))))
                    .isEqualTo("protocol error: unknown queue id 5");
            ByteBuffer relative = FrameCodec.encode(new Message.StopWordSet(1, "/dev/shm/xsched-1-2-stop", 0));
            relative.put(4 + 1 + 8 + 2, (byte) '.');
            assertThat(afterHandshake(hello(), created.duplicate(), relative))
                    .isEqualTo("protocol error: invalid value: stop-word path '.dev/shm/xsched-1-2-stop' is not absolute");
            ByteBuffer beyond = FrameCodec.encode(new Message.StopWordSet(1, "/dev/shm/xsched-1-2-stop", 0));
            beyond.putLong(beyond.limit() - 8, 4096);
            assertThat(afterHandshake(hello(), created.duplicate(), beyond))
                    .isEqualTo("protocol error: invalid value: stop-word offset 4096 is not a multiple of 4 below 4096");
            assertThat(afterHandshake(hello(), created.duplicate(), FrameCodec.encode(new Message.RaiseOnReady(1, List.of()))))
                    .isEqualTo("protocol error: unexpected message RaiseOnReady");
            // The heartbeat's frames: a ping only the server sends, a pong before the hello. A pong
            // is otherwise harmless, from any client.
            assertThat(afterHandshake(hello(), FrameCodec.encode(new Message.Ping(1))))
                    .isEqualTo("protocol error: unexpected message Ping");
            assertThat(afterHandshake(FrameCodec.encode(new Message.Pong(1))))
                    .isEqualTo("protocol error: the first message must be a hello, got Pong");
            healthy.send(new Message.Pong(12345));
            healthyIsServed();
            assertThat(log).filteredOn(l -> l.contains("disconnected: protocol error")).hasSize(10);
        });
    }

    @Test
    void anUnknownVersionIsAnsweredWithTheServersAndAReason() throws Exception {
        Watchdog.within(LIMIT, () -> {
            SocketChannel channel = raw();
            write(channel, FrameCodec.handshake((short) 99));
            ByteBuffer in = ByteBuffer.wrap(drain(channel));
            assertThat(FrameCodec.readHandshake(in)).isEqualTo(FrameCodec.VERSION);
            int length = in.getInt();
            assertThat(FrameCodec.decode(in.slice(in.position(), length)))
                    .isEqualTo(new Message.Error("protocol error: protocol version 99 is not supported; this server speaks "
                            + FrameCodec.VERSION));
            healthyIsServed();
        });
    }

    @Test
    void aVersion3PeerIsRefusedWithTheServersVersionAndAReason() throws Exception {
        Watchdog.within(LIMIT, () -> {
            // Version 3 knew no heartbeat: its clients would never answer a ping, and be dropped.
            assertThat(FrameCodec.VERSION).isEqualTo((short) 4);
            SocketChannel channel = raw();
            write(channel, FrameCodec.handshake((short) 3));
            ByteBuffer in = ByteBuffer.wrap(drain(channel));
            assertThat(FrameCodec.readHandshake(in)).isEqualTo((short) 4);
            int length = in.getInt();
            assertThat(FrameCodec.decode(in.slice(in.position(), length)))
                    .isEqualTo(new Message.Error("protocol error: protocol version 3 is not supported; this server speaks 4"));
            healthyIsServed();
            assertThat(log).anySatisfy(l -> assertThat(l).startsWith("closed a connection before its hello")
                    .endsWith("protocol error: protocol version 3 is not supported; this server speaks 4"));
        });
    }

    @Test
    void aClientThatNeverReadsIsCutOffWhenItsBufferIsFull() throws Exception {
        Watchdog.within(LIMIT, () -> {
            try (FrameChannel stuck = FrameChannel.connect(server.socket())) {
                stuck.send(new Message.Hello(8, "stuck", Message.Role.CONTROL));
                // Requests whose answers it never reads: the socket's buffer fills, then the
                // server's bounded buffer, then the server closes it (our writes then fail).
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 1_000_000; i++) {
                        stuck.send(new Message.StatusRequest());
                    }
                }).isInstanceOf(IOException.class);
            }
            healthyIsServed();
            assertThat(log).anySatisfy(l -> assertThat(l).contains("disconnected: write buffer full"));
        });
    }

    @Test
    void theSocketAndItsFolderAreClosedToOthers() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket()))).isEqualTo("rw-rw----");
        Path open = dir.resolve("open");
        Files.createDirectory(open, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> SchedulerServer.start(QUIET.withSocket(open.resolve("s")).withJmx(false),
                (level, line) -> { })).hasMessageContaining("must be rwx------ (0700) or rwxrwx--- (0770)");
        assertThatThrownBy(() -> SchedulerServer.start(QUIET.withSocket(server.socket()).withJmx(false),
                (level, line) -> { })).hasMessageContaining("a server is already listening");
        Path created = dir.resolve("fresh").resolve("xsched.sock");
        try (SchedulerServer second = SchedulerServer.start(QUIET.withSocket(created).withJmx(false),
                (level, line) -> { })) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created.getParent()))).isEqualTo("rwx------");
        }
        assertThat(created).doesNotExist();
        // A path taken by a regular file or a link is not a stale socket: refused, and left alone.
        Path file = dir.resolve("not-a-socket");
        Files.writeString(file, "keep me");
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, file);
        for (Path taken : List.of(file, link)) {
            assertThatThrownBy(() -> SchedulerServer.start(QUIET.withSocket(taken).withJmx(false),
                    (level, line) -> { })).hasMessage(taken + " exists and is not a socket; refusing to replace it"
                    + " (remove it or choose another path)");
        }
        assertThat(file).hasContent("keep me");
        assertThat(link).isSymbolicLink();
        List<String> unused = new ArrayList<>(log);
        assertThat(unused).anySatisfy(l -> assertThat(l).contains("listening at"));
    }
}
