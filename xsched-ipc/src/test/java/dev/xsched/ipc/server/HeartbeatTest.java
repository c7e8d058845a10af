package dev.xsched.ipc.server;

import dev.xsched.core.policy.Hint;
import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's heartbeat, on a clock the test moves: every scheduling client is pinged each
 * period; one that sends nothing for the client timeout (frozen: {@code SIGSTOP}, a debugger) is
 * dropped as a closed one is, so the queues its ready queue kept suspended resume; one that
 * answers stays however long it runs; control connections are neither pinged nor timed out.
 */
@HangGuard(seconds = 120)
class HeartbeatTest {
    /** Far beyond what a frame needs on a loaded machine: reached only when the server sends nothing. */
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final UUID GPU = UUID.fromString("00000000-0000-0000-0000-00000000000a");

    @TempDir
    Path dir;
    final List<String> log = new CopyOnWriteArrayList<>();
    final AtomicLong clock = new AtomicLong(0);
    final List<Peer> peers = new ArrayList<>();
    SchedulerServer server;

    @AfterEach
    void stop() {
        peers.forEach(Peer::close);
        if (server != null) {
            server.close();
        }
    }

    private void start() throws IOException {
        server = SchedulerServer.start(ServerOptions.defaults().withSocket(dir.resolve("s")).withJmx(false).withClock(clock::get)
                .withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(10)), (level, line) -> log.add(line));
    }

    /** Moves the server's clock by a second and wakes its thread, which then pings and checks. */
    private void tick() {
        clock.addAndGet(1_000_000_000L);
        server.onServerThread(c -> null);
    }

    /** A connection of the test's, read by a thread of its own; answers pings while {@code answering}. */
    private final class Peer implements AutoCloseable {
        final FrameChannel channel;
        final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        volatile boolean answering;
        final Thread reader;

        Peer(String process, Message.Role role, boolean answering) throws IOException, InterruptedException {
            this.answering = answering;
            channel = FrameChannel.connect(server.socket());
            channel.send(new Message.Hello(peers.size() + 1, process, role));
            reader = Thread.ofPlatform().daemon().name("peer-" + process).start(this::read);
            peers.add(this);
            assertThat(next(Message.Welcome.class)).isNotNull();
        }

        private void read() {
            try {
                while (true) {
                    Message message = channel.receive();
                    if (message instanceof Message.Ping ping && answering) {
                        channel.send(new Message.Pong(ping.sequence()));
                    }
                    received.add(message);
                }
            } catch (IOException closed) {
                received.add(new Message.Ack("closed"));
            }
        }

        void send(Message message) throws IOException {
            channel.send(message);
        }

        /** The next message of {@code type}, skipping others; fails after {@link #WAIT}. */
        <T extends Message> T next(Class<T> type) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<Message> skipped = new ArrayList<>();
            while (true) {
                Message message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new AssertionError("no " + type.getSimpleName() + " within " + WAIT + " (skipped " + skipped
                            + "; server log " + log + ")");
                }
                if (type.isInstance(message)) {
                    return type.cast(message);
                }
                skipped.add(message);
            }
        }

        /** The next message, whatever it is; fails after {@link #WAIT}. */
        Message next() throws InterruptedException {
            return next(Message.class);
        }

        @Override
        public void close() {
            channel.close();
        }
    }

    /** A scheduling peer with queue 1 on the test's GPU at {@code priority}, ready, and its first decision. */
    private Peer withReadyQueue(String process, int priority, boolean answering) throws Exception {
        Peer peer = new Peer(process, Message.Role.SCHEDULING, answering);
        peer.send(new Message.QueueCreated(1, process, GPU, 16, 8));
        peer.send(new Message.HintSet(1, new Hint.Priority(priority)));
        assertThat(peer.next(Message.Decision.class)).isEqualTo(new Message.Decision(List.of(new Message.QueueDecision(1, false))));
        peer.send(new Message.QueueReady(1, 0));
        return peer;
    }

    @Test
    void aClientThatStopsAnsweringIsDroppedAfterTheTimeoutAndTheQueueItKeptSuspendedResumes() throws Exception {
        start();
        Peer batch = withReadyQueue("batch", -10, true);
        Peer frozen = withReadyQueue("frozen", 10, false); // registers, turns ready, then never says a word
        assertThat(batch.next(Message.Decision.class)).as("suspended for the frozen client's ready queue")
                .isEqualTo(new Message.Decision(List.of(new Message.QueueDecision(1, true))));
        for (int second = 1; second < 10; second++) {
            tick();
            assertThat(batch.next(Message.Ping.class)).isEqualTo(new Message.Ping(second));
            assertThat(server.onServerThread(Coordinator::queueCount)).as("at " + second + " s").isEqualTo(2);
        }
        assertThat(frozen.next(Message.Ping.class)).as("pinged too, and silent").isEqualTo(new Message.Ping(1));
        tick(); // 10 s without a frame from the frozen client
        // The same round pings and drops: both reach the batch client, the ping first, though this
        // does not depend on their order.
        assertThat(List.of(batch.next(), batch.next())).as("pinged, and resumed once the frozen client is dropped")
                .containsExactlyInAnyOrder(new Message.Ping(10), new Message.Decision(List.of(new Message.QueueDecision(1, false))));
        assertThat(server.onServerThread(Coordinator::queueCount)).isEqualTo(1);
        assertThat(log).contains("client 2 disconnected: no answer for 10 s; dropped 1 queue(s)")
                .noneMatch(l -> l.startsWith("client 1 disconnected"));
        assertThat(frozen.next(Message.Error.class)).as("told why, should it ever read")
                .isEqualTo(new Message.Error("no answer for 10 s"));
    }

    @Test
    void aClientThatAnswersIsKeptAcrossManyTimeoutsAndAControlConnectionIsNeitherPingedNorDropped() throws Exception {
        start();
        Peer alive = withReadyQueue("alive", 0, true);
        Peer control = new Peer("top", Message.Role.CONTROL, false);
        for (int second = 1; second <= 35; second++) {
            tick();
            assertThat(alive.next(Message.Ping.class)).isEqualTo(new Message.Ping(second));
        }
        assertThat(server.onServerThread(Coordinator::queueCount)).isEqualTo(1);
        assertThat(log).noneMatch(l -> l.contains("disconnected"));
        control.send(new Message.StatusRequest());
        assertThat(control.next()).as("no ping came before the answer").isInstanceOf(Message.Status.class);
    }
}
