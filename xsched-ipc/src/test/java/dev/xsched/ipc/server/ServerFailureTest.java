package dev.xsched.ipc.server;

import dev.xsched.ipc.Watchdog;
import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Unexpected failures on the server's thread: one on a client's path closes that client only; an
 * error that ends the thread closes the socket and is reported, so that nothing listens unserved.
 */
class ServerFailureTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    @TempDir
    Path dir;
    final List<String> log = new CopyOnWriteArrayList<>();

    private static FrameChannel client(Path socket, String process) throws IOException {
        FrameChannel channel = FrameChannel.connect(socket);
        channel.send(new Message.Hello(1, process, Message.Role.SCHEDULING));
        return channel;
    }

    @Test
    void anExceptionWhileServingOneClientClosesThatClientOnly() throws Exception {
        Watchdog.within(LIMIT, () -> {
            // The log is the server's caller's code, run on the server's thread: here it fails for one client.
            ServerLog failing = (level, line) -> {
                if (line.contains("(evil)")) {
                    throw new IllegalStateException("the log failed");
                }
                log.add(line);
            };
            try (SchedulerServer server = SchedulerServer.start(ServerOptions.defaults().withSocket(dir.resolve("s"))
                         .withJmx(false), failing);
                 FrameChannel healthy = client(server.socket(), "healthy");
                 FrameChannel evil = client(dir.resolve("s"), "evil")) {
                assertThat(healthy.receive()).isInstanceOf(Message.Welcome.class);
                assertThat(evil.receive()).isEqualTo(new Message.Error("internal error: java.lang.IllegalStateException: the log failed"));
                healthy.send(new Message.QueueCreated(1, "steady", UUID.randomUUID(), 16, 8));
                assertThat(healthy.receive()).isEqualTo(new Message.Decision(List.of(new Message.QueueDecision(1, false))));
                assertThat(log).anySatisfy(l -> assertThat(l).startsWith("internal error serving user ")
                        .contains("java.lang.IllegalStateException: the log failed at "));
            }
        });
    }

    @Test
    void anErrorThatEndsTheServersThreadClosesTheSocketAndIsReported() throws Exception {
        Watchdog.within(LIMIT, () -> {
            SchedulerServer server = SchedulerServer.start(ServerOptions.defaults().withSocket(dir.resolve("s")).withJmx(false),
                    (level, line) -> log.add(level + " " + line));
            try (FrameChannel healthy = client(server.socket(), "healthy")) {
                assertThat(healthy.receive()).isInstanceOf(Message.Welcome.class);
                assertThatThrownBy(() -> server.onServerThread(c -> {
                    throw new OutOfMemoryError("simulated");
                })).isInstanceOf(OutOfMemoryError.class);
                assertThat(server.awaitTermination()).as("stopped by an error").isFalse();
                assertThat(server.socket()).doesNotExist();
                assertThatThrownBy(() -> FrameChannel.connect(server.socket())).isInstanceOf(IOException.class);
                assertThat(healthy.receive()).isEqualTo(new Message.Error("server shutting down"));
                assertThat(log).anySatisfy(l -> assertThat(l)
                        .startsWith("ERROR stopped by an error: java.lang.OutOfMemoryError: simulated at "));
                assertThatThrownBy(() -> server.onServerThread(Coordinator::queueCount))
                        .hasMessage("the server thread has stopped");
            } finally {
                server.close();
            }
        });
    }
}
