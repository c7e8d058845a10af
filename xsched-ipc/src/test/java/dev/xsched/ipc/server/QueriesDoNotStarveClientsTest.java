package dev.xsched.ipc.server;

import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queries posted to the server's thread one after another without a pause (JMX, a monitoring
 * agent, a tool in a loop) do not keep the clients' frames unread: every wake-up serves the sockets
 * that are ready, with or without a query waiting. Before, a wake-up with a query waiting skipped
 * the selection, and a steady stream of queries left a live client's pongs unread until the
 * heartbeat dropped it as silent.
 */
@HangGuard(seconds = 120)
class QueriesDoNotStarveClientsTest {
    @TempDir
    Path dir;

    @Test
    void aClientIsAnsweredWhileQueriesArriveWithoutAPause() throws Exception {
        SchedulerServer server = SchedulerServer.start(ServerOptions.defaults().withSocket(dir.resolve("s")).withJmx(false),
                (level, line) -> { });
        AtomicBoolean querying = new AtomicBoolean(true);
        List<Thread> askers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                askers.add(Thread.ofPlatform().daemon().name("asker-" + i).start(() -> {
                    while (querying.get()) {
                        // A query that takes the server's thread a while, as a JMX read of many
                        // queues does: others are posted meanwhile, so one is nearly always waiting.
                        server.onServerThread(c -> {
                            LockSupport.parkNanos(200_000);
                            return c.queueCount();
                        });
                    }
                }));
            }
            try (FrameChannel client = FrameChannel.connect(server.socket())) {
                BlockingQueue<Message> received = new ArrayBlockingQueue<>(64);
                Thread.ofPlatform().daemon().name("client-reader").start(() -> {
                    try {
                        while (true) {
                            received.add(client.receive());
                        }
                    } catch (Exception closed) {
                        // the test ends
                    }
                });
                client.send(new Message.Hello(1, "tool", Message.Role.CONTROL));
                assertThat(received.poll(10, TimeUnit.SECONDS)).as("welcomed within 10 s").isInstanceOf(Message.Welcome.class);
                for (int round = 0; round < 50; round++) {
                    client.send(new Message.StatusRequest());
                    assertThat(received.poll(10, TimeUnit.SECONDS)).as("status %d answered within 10 s", round)
                            .isInstanceOf(Message.Status.class);
                }
            }
        } finally {
            querying.set(false);
            for (Thread asker : askers) {
                asker.join();
            }
            server.close();
        }
    }
}
