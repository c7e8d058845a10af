package dev.xsched.ipc.client;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.core.coordination.ScheduledQueue;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After a (re)connect every queue is registered before any refers to another: a waiter older than
 * its producer must not name the producer before the server knows it. A recording server stands
 * in for the real one, which would drop such an edge silently.
 */
class RegistrationOrderTest {
    @TempDir
    Path dir;

    /** Accepts one client, welcomes it, and records what it sends. */
    private static void record(ServerSocketChannel listener, BlockingQueue<Message> into) {
        try (SocketChannel client = listener.accept()) {
            ScriptedServer.readFully(client, ByteBuffer.allocate(FrameCodec.HANDSHAKE_BYTES));
            ScriptedServer.write(client, FrameCodec.handshake(FrameCodec.VERSION));
            while (true) {
                ByteBuffer length = ScriptedServer.readFully(client, ByteBuffer.allocate(4));
                Message message = FrameCodec.decode(ScriptedServer.readFully(client, ByteBuffer.allocate(length.getInt())));
                if (message instanceof Message.Hello) {
                    ScriptedServer.write(client, FrameCodec.encode(new Message.Welcome(1, "recording")));
                } else {
                    into.add(message);
                }
            }
        } catch (EOFException closed) {
            // The source closed: done.
        } catch (Exception e) {
            into.add(new Message.Error(e.toString()));
        }
    }


    private static ScheduledQueue scheduled(XQueue queue, long id, Set<Long> lendersOf) {
        return new ScheduledQueue(queue, new QueueStatus(id, "q" + id, 0, false, -1, false, 0, 0, 0, Map.of(), lendersOf));
    }

    @Test
    void aWaiterOlderThanItsProducerIsReportedAfterTheProducerIsRegistered() throws Exception {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            Path socket = dir.resolve("s");
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            CountDownLatch connected = new CountDownLatch(1);
            try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                 SimulatedPlatform sim = SimulatedPlatform.builder().build();
                 XScheduler local = XScheduler.builder().name("queues-only").jmx(false).build()) {
                listener.bind(UnixDomainSocketAddress.of(socket));
                Thread.ofPlatform().daemon().start(() -> record(listener, received));
                XQueue waiterQueue = local.createQueue(sim.device(0), XQueueConfig.defaults("waiter"));
                XQueue producerQueue = local.createQueue(sim.device(0), XQueueConfig.defaults("producer"));
                ServerDecisionSource source = new ServerDecisionSource(socket, "order", ClientOptions.defaults());
                source.attach("order", new DecisionSource.Scheduling() {
                    @Override
                    public void redecide() {
                        connected.countDown(); // the new epoch: the next decide registers everything
                    }

                    @Override
                    public void apply(Map<Long, Boolean> suspended) {
                    }
                });
                try {
                    connected.await();
                    // Queue 1 waits on queue 2, which was created after it.
                    source.decide(0, List.of(scheduled(waiterQueue, 1, Set.of()), scheduled(producerQueue, 2, Set.of(1L))));
                    List<Message> sent = new ArrayList<>();
                    while (sent.stream().noneMatch(m -> m instanceof Message.BlockedOn)) {
                        sent.add(received.take());
                    }
                    assertThat(sent).noneMatch(m -> m instanceof Message.Error);
                    assertThat(sent).containsSubsequence(new Message.QueueCreated(2, "q2", sim.device(0).uuid(),
                            producerQueue.config().threshold(), producerQueue.config().batchSize()), new Message.BlockedOn(1, 2));
                } finally {
                    source.close();
                }
            }
        });
    }
}
