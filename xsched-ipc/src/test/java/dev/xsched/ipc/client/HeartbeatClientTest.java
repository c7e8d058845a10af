package dev.xsched.ipc.client;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.ipc.server.SchedulerServer;
import dev.xsched.ipc.server.ServerOptions;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's side of the heartbeat: its I/O thread answers the server's pings, and a server that
 * welcomed it and then sends nothing for the server timeout (frozen: {@code SIGSTOP}) counts as
 * lost, so the queues it suspended run again and the client reconnects. In real time, with short
 * timeouts.
 */
@HangGuard(seconds = 120)
class HeartbeatClientTest {
    /** Far beyond what the client needs on a loaded machine; a client that never notices fails here. */
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final SimulatedPlatform sim = SimulatedPlatform.builder().realTime().build();
    private ScriptedServer scripted;
    private SchedulerServer server;
    private XScheduler scheduler;

    @AfterEach
    void close() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        if (scripted != null) {
            scripted.close();
        }
        if (server != null) {
            server.close();
        }
        sim.close();
    }

    private static boolean within(BooleanSupplier condition) {
        return Eventually.within(LIMIT, condition);
    }

    private static ClientOptions options(Duration serverTimeout) {
        return new ClientOptions(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ZERO, false)
                .withServerTimeout(serverTimeout);
    }

    private void startScripted(Duration serverTimeout) throws Exception {
        scripted = new ScriptedServer(dir.resolve("xsched.sock"));
        ServerDecisionSource source = new ServerDecisionSource(dir.resolve("xsched.sock"), "client", options(serverTimeout));
        scheduler = XScheduler.builder().name("client").decisionSource(source).jmx(false).build();
    }

    @Test
    void aServerThatWelcomesThenGoesSilentIsLostAfterTheTimeoutAndEveryQueueRuns() throws Exception {
        startScripted(Duration.ofMillis(500));
        XQueue lp = scheduler.createQueue(sim.device(0), XQueueConfig.defaults("lp"));
        scripted.next(Message.QueueCreated.class, LIMIT);
        long silentSince = System.nanoTime(); // the client hears this frame later: its silence starts after this
        scripted.send(new Message.Decision(List.of(new Message.QueueDecision(lp.id(), true))));
        assertThat(within(() -> lp.stats().suspended())).as("suspended by the server").isTrue();
        // The server says nothing more, and its socket stays open.
        assertThat(within(() -> !lp.stats().suspended())).as("every queue runs once the silent server counts as lost").isTrue();
        assertThat(System.nanoTime() - silentSince).as("not before the timeout").isGreaterThanOrEqualTo(400_000_000L);
        assertThat(scripted.awaitConnections(2, LIMIT)).as("reconnected").isTrue();
        assertThat(scripted.next(Message.QueueCreated.class, LIMIT).queueId()).as("registered again").isEqualTo(lp.id());
    }

    @Test
    void theIoThreadAnswersPingsAndAServerThatPingsIsKept() throws Exception {
        // A timeout 15 pings long: a pause of the test's threads well over a second (a loaded CI
        // host) would still make the client take the server for lost.
        startScripted(Duration.ofMillis(1_500));
        XQueue lp = scheduler.createQueue(sim.device(0), XQueueConfig.defaults("lp"));
        scripted.next(Message.QueueCreated.class, LIMIT);
        scripted.send(new Message.Decision(List.of(new Message.QueueDecision(lp.id(), true))));
        assertThat(within(() -> lp.stats().suspended())).as("suspended by the server").isTrue();
        // Three timeouts' worth of pings, one per 100 ms: each answered, the link kept, the queue suspended.
        for (long sequence = 1; sequence <= 45; sequence++) {
            scripted.send(new Message.Ping(sequence));
            assertThat(scripted.next(Message.Pong.class, LIMIT)).isEqualTo(new Message.Pong(sequence));
            LockSupport.parkNanos(100_000_000L);
        }
        assertThat(lp.stats().suspended()).as("still suspended: the server was not taken for lost").isTrue();
        assertThat(scripted.awaitConnections(2, Duration.ZERO)).as("no reconnect").isFalse();
    }

    @Test
    void aRealClientStaysConnectedToARealServerAcrossManyClientTimeouts() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        server = SchedulerServer.start(ServerOptions.defaults().withSocket(dir.resolve("real.sock")).withJmx(false)
                .withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(2_500)), (level, line) -> log.add(line));
        ServerDecisionSource source = new ServerDecisionSource(server.socket(), "client", options(Duration.ofMillis(2_500)));
        scheduler = XScheduler.builder().name("client").decisionSource(source).jmx(false).build();
        scheduler.createQueue(sim.device(0), XQueueConfig.defaults("q"));
        assertThat(within(() -> server.onServerThread(c -> c.queueCount()) == 1)).as("registered").isTrue();
        LockSupport.parkNanos(Duration.ofSeconds(8).toNanos()); // three timeouts on either side, 80 pings
        assertThat(log).filteredOn(l -> l.contains(" connected: ")).hasSize(1);
        assertThat(log).noneMatch(l -> l.contains("disconnected"));
        assertThat(source.isConnected()).isTrue();
        int queues = server.onServerThread(c -> c.queueCount());
        assertThat(queues).isEqualTo(1);
    }
}
