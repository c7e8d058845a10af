package dev.xsched.ipc.server;

import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server whose thread spins after each wake-up still serves frames, runs the tasks posted to it
 * (their wake-up may be taken by a poll of the spin) and stops when closed; a watchdog turns a
 * missed wake-up into a failure with a thread dump.
 */
class ServerSpinTest {
    /**
     * The defaults with pings an hour apart: this test reads a raw client's frames one by one, and
     * a heartbeat's ping among them on a slow run would be taken for an answer.
     */
    private static final ServerOptions QUIET = ServerOptions.defaults().withHeartbeat(Duration.ofHours(1), Duration.ofHours(2));
    @TempDir
    Path dir;

    @Test
    void aSpinningServerAnswersRunsTasksAndStops() throws Exception {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            SchedulerServer server = SchedulerServer.start(QUIET.withSocket(dir.resolve("s")).withJmx(false)
                    .withSpin(Duration.ofMillis(2)), (level, line) -> { });
            try (FrameChannel client = FrameChannel.connect(server.socket())) {
                client.send(new Message.Hello(7, "spinning", Message.Role.SCHEDULING));
                assertThat(client.receive()).isInstanceOf(Message.Welcome.class);
                for (long id = 1; id <= 200; id++) {
                    client.send(new Message.QueueCreated(id, "q" + id, UUID.nameUUIDFromBytes("gpu".getBytes()), 16, 8));
                    assertThat(client.receive()).isInstanceOf(Message.Decision.class);
                    long expected = id;
                    assertThat(server.onServerThread(Coordinator::queueCount)).isEqualTo((int) expected);
                }
            } finally {
                server.close();
            }
            server.awaitTermination();
        });
    }

    @Test
    void aSpinBeyondTenMillisecondsOrNotANumberIsRefused() {
        assertThatThrownBy(() -> ServerOptions.defaults().withSpin(Duration.ofMillis(11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 10 ms");
        assertThatThrownBy(() -> dev.xsched.core.SpinSetting.parse("soon", ServerOptions.SPIN_PROPERTY,
                ServerOptions.SPIN_VARIABLE)).hasMessageContaining("XSCHED_SERVER_SPIN_US must be a number of microseconds");
    }
}
