package dev.xsched.ipc.client;

import dev.xsched.core.policy.Hint;
import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.ipc.server.SchedulerServer;
import dev.xsched.ipc.server.ServerOptions;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlClientTest {
    /**
     * The defaults with pings an hour apart: this test reads a raw client's frames one by one, and
     * a heartbeat's ping among them on a slow run would be taken for an answer.
     */
    private static final ServerOptions QUIET = ServerOptions.defaults().withHeartbeat(Duration.ofHours(1), Duration.ofHours(2));
    @TempDir
    Path dir;

    @Test
    void statusPolicyAndHintsOverTheSocket() throws Exception {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (SchedulerServer server = SchedulerServer.start(QUIET.withSocket(dir.resolve("s"))
                         .withJmx(false), (level, line) -> { });
                 FrameChannel process = FrameChannel.connect(server.socket());
                 ControlClient tool = ControlClient.connect(server.socket(), "test")) {
                process.send(new Message.Hello(777, "trainer", Message.Role.SCHEDULING));
                process.receive();
                process.send(new Message.QueueCreated(3, "batch", UUID.randomUUID(), 16, 8));
                process.receive();

                assertThat(tool.policy().active()).isEqualTo("hpf");
                assertThat(tool.policy().installed()).contains("hpf", "cfs", "pass-through");
                assertThat(tool.hint(777, "batch", new Hint.Priority(-20))).contains("1 queue(s)");
                assertThat(tool.hint(777, "3", new Hint.Weight(5))).contains("1 queue(s)");
                assertThatThrownBy(() -> tool.hint(777, "nope", new Hint.Priority(1))).hasMessage("no queue 'nope' in process 777");
                assertThat(tool.status().queues()).singleElement().satisfies(row -> {
                    assertThat(row.pid()).isEqualTo(777);
                    assertThat(row.hints()).isEqualTo("prio=-20 weight=5");
                });
                assertThat(tool.setPolicy("cfs", Map.of()).active()).isEqualTo("cfs");
                assertThatThrownBy(() -> tool.setPolicy("nope", Map.of())).hasMessageContaining("unknown policy 'nope'");
                assertThat(tool.status().policy()).isEqualTo("cfs");
                assertThat(List.of(tool.status().queues().getFirst().name())).containsExactly("batch");
            }
            assertThatThrownBy(() -> ControlClient.connect(dir.resolve("s"), "late")).hasMessageContaining("no xsched server at");
        });
    }

    @Test
    void theServerReportsItsOwnCpuTimeInTheStatusAndItsMBean() throws Exception {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (SchedulerServer server = SchedulerServer.start(QUIET.withSocket(dir.resolve("s"))
                         .withJmx(true), (level, line) -> { });
                 ControlClient tool = ControlClient.connect(server.socket(), "test")) {
                Message.Status first = tool.status();
                long threadCpu = server.threadCpuNanos();
                Message.Status later = tool.status();
                assertThat(first.serverThreadCpuNanos()).as("the server thread has run (it answered)").isPositive();
                assertThat(later.serverThreadCpuNanos()).isGreaterThanOrEqualTo(threadCpu)
                        .isGreaterThanOrEqualTo(first.serverThreadCpuNanos());
                assertThat(later.serverProcessCpuNanos()).as("a JVM's CPU time covers its server thread's")
                        .isGreaterThanOrEqualTo(later.serverThreadCpuNanos());

                javax.management.ObjectName name = javax.management.ObjectName.getInstance(
                        "dev.xsched:type=XScheduler,name=" + javax.management.ObjectName.quote("xsched-server"));
                javax.management.MBeanServer beans = java.lang.management.ManagementFactory.getPlatformMBeanServer();
                assertThat((Long) beans.getAttribute(name, "ServerThreadCpuNanos")).isGreaterThanOrEqualTo(later.serverThreadCpuNanos());
                assertThat((Long) beans.getAttribute(name, "ServerProcessCpuNanos")).isPositive();
                assertThat((String) beans.getAttribute(name, "ActivePolicy")).isEqualTo("hpf");
            }
        });
    }
}
