package dev.xsched.ipc.client;

import dev.xsched.ipc.internal.DurationText;
import dev.xsched.ipc.server.SchedulerServer;
import dev.xsched.ipc.server.ServerOptions;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tool never waits for ever on a server that does not answer (stopped with SIGSTOP, or a socket
 * of some other program): the handshake and every request have a deadline.
 */
@HangGuard(seconds = 60)
class ControlClientDeadlineTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path temp;

    /** A socket that accepts connections and never writes a byte, in a folder only this user may use. */
    private ServerSocketChannel silentServer(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return server;
    }

    private Path privateFolder() throws IOException {
        return Files.createDirectory(temp.resolve("run"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    @Test
    void theHandshakeOfAServerThatNeverAnswersFailsAtTheDeadline() throws Exception {
        Path socket = privateFolder().resolve("silent.sock");
        try (ServerSocketChannel server = silentServer(socket)) {
            Thread.ofPlatform().daemon().start(() -> acceptAndStaySilent(server));
            long started = System.nanoTime();
            assertThatThrownBy(() -> ControlClient.connect(socket, "test", SHORT))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the scheduler server at " + socket + " did not answer within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(SHORT)
                    .isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aRequestTheServerNeverAnswersFailsAtTheDeadlineAndSoDoesEveryLaterOne() throws Exception {
        // Welcomes the tool, then records its requests without answering: a server stopped after the welcome.
        Path socket = privateFolder().resolve("mute.sock");
        try (ScriptedServer server = new ScriptedServer(socket);
             ControlClient tool = ControlClient.connect(socket, "test", SHORT)) {
            long started = System.nanoTime();
            assertThatThrownBy(tool::status).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the scheduler server at " + socket + " did not answer within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            // The channel was closed mid-answer: a later request says why rather than "channel closed".
            assertThatThrownBy(tool::policy).hasMessageContaining("did not answer within 300 ms");
        }
    }

    @Test
    void theDefaultDeadlineIsFiveSeconds() {
        assertThat(ControlClient.DEFAULT_ANSWER_TIMEOUT).isEqualTo(Duration.ofSeconds(5));
        assertThat(DurationText.of(ControlClient.DEFAULT_ANSWER_TIMEOUT)).isEqualTo("5 s");
    }

    @Test
    void aServerThatAnswersInTimeIsUnaffectedAndTheTimerDoesNotCloseItLater() throws Exception {
        try (SchedulerServer server = SchedulerServer.start(ServerOptions.defaults().withSocket(privateFolder().resolve("s"))
                     .withJmx(false), (level, line) -> { });
             ControlClient tool = ControlClient.connect(server.socket(), "test", SHORT)) {
            assertThat(tool.policy().active()).isEqualTo("hpf");
            // Past the deadline of every exchange so far: a cancelled deadline must not close the channel.
            Thread.sleep(SHORT.multipliedBy(2));
            assertThat(tool.setPolicy("cfs", Map.of()).active()).isEqualTo("cfs");
            assertThat(tool.status().policy()).isEqualTo("cfs");
        }
    }

    @Test
    void aNonPositiveTimeoutIsRejected() {
        assertThatThrownBy(() -> ControlClient.connect(temp.resolve("x"), "test", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void acceptAndStaySilent(ServerSocketChannel server) {
        try (SocketChannel accepted = server.accept()) {
            // Read what the client sends, answer nothing, until the client gives up and closes.
            while (accepted.read(java.nio.ByteBuffer.allocate(256)) >= 0) {
            }
        } catch (IOException ended) {
            // The test closed the server or the client went away: nothing more to stay silent for.
        }
    }
}
