package dev.xsched.ipc.it;

import dev.xsched.core.XScheduler;
import dev.xsched.core.coordination.ServerSocketPath;
import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.ipc.server.Coordinator;
import dev.xsched.ipc.server.SchedulerServer;
import dev.xsched.ipc.server.ServerOptions;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One server, client processes in their own JVMs on the simulator. Waits are for states, never for
 * times; a watchdog turns a hang into a failure with a thread dump.
 */
class MultiProcessTest {
    private static final Duration LIMIT = Duration.ofMinutes(4);
    @TempDir
    Path dir;
    final List<String> log = new CopyOnWriteArrayList<>();

    private SchedulerServer startServer() throws java.io.IOException {
        return SchedulerServer.start(ServerOptions.defaults().withSocket(dir.resolve("xsched.sock")).withJmx(false),
                (level, line) -> log.add(line));
    }

    /** Waits until the server's view satisfies {@code condition}. */
    private static Message.Status awaitServer(SchedulerServer server, Predicate<Message.Status> condition) {
        while (true) {
            Message.Status status = server.onServerThread(Coordinator::status);
            if (condition.test(status)) {
                return status;
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Deletes the stop-word file of the (killed) client process {@code pid}, as named by {@link StopWordFile#defaultPath()}. */
    private static void deleteStopWordFileOf(long pid) throws java.io.IOException {
        Path ours = StopWordFile.defaultPath();
        java.nio.file.Files.deleteIfExists(ours.resolveSibling("xsched-" + ServerSocketPath.currentUid() + "-" + pid + "-stop"));
    }

    private static boolean suspended(Message.Status status, long pid) {
        return status.queues().stream().anyMatch(q -> q.pid() == pid && q.suspended());
    }

    @Test
    void hpfAcrossProcessesAndAKilledClient() throws Exception {
        Watchdog.within(LIMIT, () -> {
            try (SchedulerServer server = startServer();
                 ClientProcess online = ClientProcess.start(server.socket(), "online", 10, dir.resolve("online.log"));
                 ClientProcess batch = ClientProcess.start(server.socket(), "batch", -10, dir.resolve("batch.log"))) {
                assertThat(batch.ask("hold")).isEqualTo("ok");
                assertThat(online.ask("hold")).isEqualTo("ok");
                // The low-priority process's queue is suspended while the other has work: seen by
                // the process itself and by the server.
                assertThat(batch.ask("await suspended")).isEqualTo("ok");
                assertThat(online.ask("state")).startsWith("suspended=false");
                Message.Status status = awaitServer(server, s -> suspended(s, batch.pid()));
                assertThat(status.queues()).filteredOn(q -> q.pid() == online.pid()).singleElement()
                        .satisfies(q -> assertThat(q.suspended()).isFalse());

                online.process.destroyForcibly().waitFor();
                deleteStopWordFileOf(online.pid()); // a killed process cannot delete its own
                assertThat(batch.ask("await running")).isEqualTo("ok");
                awaitServer(server, s -> s.queues().stream().noneMatch(q -> q.pid() == online.pid()));
                assertThat(log).anySatisfy(l -> assertThat(l).contains("disconnected").contains("dropped 1 queue(s)"));

                assertThat(batch.ask("release")).isEqualTo("ok");
                assertThat(batch.ask("sync")).isEqualTo("ok");
                assertThat(batch.ask("state")).isEqualTo("suspended=false submitted=1 completed=1 ran=1");
            }
        });
    }

    @Test
    void hpfAcrossProcessesWithSubmittingThreadsDeciding() throws Exception {
        // Each client's submitting thread sends its queue's state to the server itself
        // (XScheduler.Builder#decideOnSubmit through its property): the same outcome, seen from both sides.
        List<String> deciding = List.of("-D" + XScheduler.DECIDE_ON_SUBMIT_PROPERTY + "=true");
        Watchdog.within(LIMIT, () -> {
            try (SchedulerServer server = startServer();
                 ClientProcess online = ClientProcess.start(server.socket(), "online", 10, dir.resolve("online.log"), deciding);
                 ClientProcess batch = ClientProcess.start(server.socket(), "batch", -10, dir.resolve("batch.log"), deciding)) {
                assertThat(batch.ask("hold")).isEqualTo("ok");
                assertThat(online.ask("hold")).isEqualTo("ok");
                assertThat(batch.ask("await suspended")).isEqualTo("ok");
                assertThat(online.ask("state")).startsWith("suspended=false");
                awaitServer(server, s -> suspended(s, batch.pid()));
                assertThat(online.ask("release")).isEqualTo("ok");
                assertThat(online.ask("sync")).isEqualTo("ok");
                assertThat(batch.ask("await running")).isEqualTo("ok");
                assertThat(batch.ask("release")).isEqualTo("ok");
                assertThat(batch.ask("sync")).isEqualTo("ok");
                assertThat(batch.ask("state")).isEqualTo("suspended=false submitted=1 completed=1 ran=1");
            }
        });
    }

    @Test
    void clientsFailOpenWhileTheServerRestartsAndRegisterAgain() throws Exception {
        Watchdog.within(LIMIT, () -> {
            SchedulerServer server = startServer();
            try (ClientProcess online = ClientProcess.start(server.socket(), "online", 10, dir.resolve("online.log"));
                 ClientProcess batch = ClientProcess.start(server.socket(), "batch", -10, dir.resolve("batch.log"))) {
                batch.ask("hold");
                online.ask("hold");
                assertThat(batch.ask("await suspended")).isEqualTo("ok");

                server.close();
                // Fail open: with no server every queue runs.
                assertThat(batch.ask("await running")).isEqualTo("ok");
                batch.ask("release");
                batch.ask("sync");
                batch.ask("hold"); // submitted while the server is away: must run exactly once too

                server = startServer();
                SchedulerServer restarted = server;
                // Both processes reconnect and register their queues again; HPF holds the batch again.
                awaitServer(restarted, s -> s.queues().size() == 2);
                assertThat(batch.ask("await suspended")).isEqualTo("ok");
                assertThat(online.ask("state")).startsWith("suspended=false");

                online.ask("release");
                online.ask("sync");
                assertThat(batch.ask("await running")).isEqualTo("ok");
                batch.ask("release");
                batch.ask("sync");
                assertThat(online.ask("state")).isEqualTo("suspended=false submitted=1 completed=1 ran=1");
                assertThat(batch.ask("state")).isEqualTo("suspended=false submitted=2 completed=2 ran=2");
            } finally {
                server.close();
            }
        });
    }

    /** The cross-process stop is opt-in ({@link dev.xsched.ipc.client.ClientOptions#remoteStop()}). */
    private static final List<String> REMOTE_STOP_ON = List.of("-D" + dev.xsched.ipc.client.ClientOptions.REMOTE_STOP_PROPERTY + "=true");

    @Test
    void theOnlineProcessStopsTheBatchProcessThroughItsStopWordAndTheBatchWorkRunsOnce() throws Exception {
        Watchdog.within(LIMIT, () -> {
            try (SchedulerServer server = startServer();
                 ClientProcess batch = ClientProcess.start(server.socket(), "batch", -10, dir.resolve("batch.log"), REMOTE_STOP_ON);
                 ClientProcess online = ClientProcess.start(server.socket(), "online", 10, dir.resolve("online.log"), REMOTE_STOP_ON)) {
                // Requests of the online process until one stored into the batch queue's word: the
                // server tells the online process that word once both queues are registered.
                do {
                    assertThat(online.ask("bursts 1")).isEqualTo("ok");
                } while (batch.ask("word").equals("word=0"));
                // Yieldable work in the batch process (4 blocks of 5 ms per launch, 0.3 s in all), and
                // requests of the online process meanwhile: each turns its queue ready, which stores
                // into the batch queue's word before the request's kernel.
                assertThat(batch.ask("yieldable 60")).isEqualTo("ok");
                assertThat(online.ask("bursts 20")).isEqualTo("ok");
                assertThat(batch.ask("sync")).as("no stopped queue waits for ever").isEqualTo("ok");
                String work = batch.ask("work");
                assertThat(work).as("every launch ran to its end once, whether stopped or not")
                        .startsWith("launched=60 ran=60 once=true yielded=");
                String stores = batch.ask("word");
                assertThat(Long.parseLong(stores.substring("word=".length()))).as("each request stored once").isGreaterThan(20);
                System.out.println("batch process: " + work + ", " + stores + " store(s) into its word");
                assertThat(online.ask("state")).matches("suspended=false submitted=(\\d+) completed=\\1 ran=0");
                assertThat(batch.ask("state")).startsWith("suspended=false");
            }
            assertThat(log).noneMatch(l -> l.contains("protocol error"));
        });
    }
}
