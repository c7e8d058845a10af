package dev.xsched.ipc.client;

import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.testsupport.Watchdog;
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
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's attempts to connect: one that hangs can be abandoned, one that is refused says why. */
class ConnectAttemptTest {
    @TempDir
    Path dir;

    private static final DecisionSource.Scheduling NO_SCHEDULER = new DecisionSource.Scheduling() {
        @Override
        public void redecide() {
        }

        @Override
        public void apply(Map<Long, Boolean> suspended) {
        }
    };

    private static Thread ioThread(String schedulerName) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(schedulerName + "-server-io"))
                .findFirst().orElse(null);
    }

    private static boolean waitsForTheServer(Thread io) {
        return Arrays.stream(io.getStackTrace()).anyMatch(f -> f.getMethodName().equals("handshake")
                && f.getClassName().equals(FrameChannel.class.getName()));
    }

    @Test
    void closeEndsAHandshakeThatTheServerNeverAnswers() throws Exception {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            // Bound and listening, never accepting: the kernel completes the connect from its backlog.
            try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                mute.bind(UnixDomainSocketAddress.of(dir.resolve("mute")));
                ServerDecisionSource source = new ServerDecisionSource(dir.resolve("mute"), "mute", ClientOptions.defaults());
                source.attach("hanging", NO_SCHEDULER);
                Thread io;
                while ((io = ioThread("hanging")) == null || !waitsForTheServer(io)) {
                    LockSupport.parkNanos(1_000_000);
                }
                long start = System.nanoTime();
                source.close();
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(io.isAlive()).as("the I/O thread ended").isFalse();
                assertThat(millis).as("close() waited for the I/O thread (it joins for up to 10 s)").isLessThan(5_000);
            }
        });
    }

    @Test
    void aRefusedClientReportsTheServersReason() throws Exception {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            Path socket = dir.resolve("refusing");
            try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                listener.bind(UnixDomainSocketAddress.of(socket));
                // A server that answers the hello with its reason and keeps the socket open, as for a refused user.
                Thread.ofPlatform().daemon().start(() -> {
                    try (SocketChannel peer = listener.accept()) {
                        peer.read(ByteBuffer.allocate(FrameCodec.HANDSHAKE_BYTES + 256));
                        peer.write(new ByteBuffer[] {FrameCodec.handshake(FrameCodec.VERSION),
                                FrameCodec.encode(new Message.Error("permission denied for user x"))});
                        while (peer.read(ByteBuffer.allocate(256)) >= 0) {
                            Thread.onSpinWait();
                        }
                    } catch (IOException ignored) {
                        // The client closed.
                    }
                });
                ServerDecisionSource source = new ServerDecisionSource(socket, "refused", ClientOptions.defaults());
                assertThatThrownBy(source::handshake).isInstanceOf(IOException.class)
                        .hasMessage("the server refused this client: permission denied for user x");
            }
        });
    }
}
