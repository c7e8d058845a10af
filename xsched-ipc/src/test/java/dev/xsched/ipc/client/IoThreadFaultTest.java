package dev.xsched.ipc.client;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.core.coordination.ScheduledQueue;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An unchecked exception on the client's I/O thread (applying a decision, or disarming a queue's
 * stop word on a GPU in a sticky fault) ends the connection as a loss does: every queue runs, and
 * the thread lives on and reconnects. Before, the exception ended the thread for good (the process
 * never reconnected), and a failing disarm kept the queues the server had suspended suspended.
 * Against a scripted server, on the simulator in real time (the stop words need it).
 */
@HangGuard(seconds = 120)
class IoThreadFaultTest {
    /** Far beyond what the client needs on a loaded machine; a client that never comes back fails here. */
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final SimulatedPlatform sim = SimulatedPlatform.builder().realTime().build();
    private ScriptedServer server;
    private XScheduler scheduler;

    @AfterEach
    void close() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        if (server != null) {
            server.close();
        }
        sim.close();
    }

    /** Whether {@code condition} held within {@link #LIMIT}. */
    private static boolean within(BooleanSupplier condition) {
        return Eventually.within(LIMIT, condition);
    }

    private static ClientOptions options(boolean remoteStop) {
        return new ClientOptions(Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ZERO, remoteStop);
    }

    /** A server at a fresh socket and a scheduler whose decisions come from {@code source}. */
    private void start(DecisionSource source) throws IOException {
        server = new ScriptedServer(dir.resolve("xsched.sock"));
        scheduler = XScheduler.builder().name("client").decisionSource(source).jmx(false).build();
    }

    /** The server suspends {@code queue} and the client applies it. */
    private void suspend(XQueue queue) throws IOException {
        server.send(new Message.Decision(List.of(new Message.QueueDecision(queue.id(), true))));
        assertThat(within(() -> queue.stats().suspended())).as("suspended by the server").isTrue();
    }

    /** {@code source}, with the scheduler's {@link DecisionSource.Scheduling#apply} failing once when {@code failNext} is set. */
    private static DecisionSource failingApplyOnce(ServerDecisionSource source, AtomicBoolean failNext) {
        return new DecisionSource() {
            @Override
            public void attach(String schedulerName, Scheduling scheduling) {
                source.attach(schedulerName, new Scheduling() {
                    @Override
                    public void redecide() {
                        scheduling.redecide();
                    }

                    @Override
                    public void apply(Map<Long, Boolean> suspended) {
                        if (failNext.getAndSet(false)) {
                            throw new IllegalStateException("injected: applying a decision failed");
                        }
                        scheduling.apply(suspended);
                    }
                });
            }

            @Override
            public Map<Long, Boolean> decide(long now, List<ScheduledQueue> queues) {
                return source.decide(now, queues);
            }

            @Override
            public String describe() {
                return source.describe();
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }

    @Test
    void aDecisionWhoseApplicationThrowsEndsTheConnectionAndTheClientRunsEveryQueueAndReconnects() throws Exception {
        AtomicBoolean failNext = new AtomicBoolean();
        ServerDecisionSource source = new ServerDecisionSource(dir.resolve("xsched.sock"), "client", options(false));
        start(failingApplyOnce(source, failNext));
        XQueue lp = scheduler.createQueue(sim.device(0), XQueueConfig.defaults("lp"));
        server.next(Message.QueueCreated.class);
        suspend(lp);

        failNext.set(true);
        server.send(new Message.Decision(List.of(new Message.QueueDecision(lp.id(), true)))); // its application throws
        assertThat(within(() -> !lp.stats().suspended())).as("every queue runs once the connection is lost").isTrue();
        assertThat(server.awaitConnections(2, LIMIT)).as("the I/O thread lived on and reconnected").isTrue();
        assertThat(server.next(Message.QueueCreated.class).queueId()).as("registered again").isEqualTo(lp.id());
        suspend(lp); // and the new connection's decisions apply
    }

    @Test
    void aDisarmThatThrowsStillResumesEveryQueueAndTheClientReconnects() throws Exception {
        AtomicBoolean failNext = new AtomicBoolean(true);
        // As a GPU in a sticky fault: the first disarm throws (and lets nothing go).
        Consumer<XQueue> disarmer = queue -> {
            if (failNext.getAndSet(false)) {
                throw new IllegalStateException("injected: the device failed");
            }
            queue.disarmRemoteStop();
        };
        ServerDecisionSource source = new ServerDecisionSource(dir.resolve("xsched.sock"), "client", options(true),
                ServerDecisionSource.STABLE_LINK, disarmer);
        start(source);
        XQueue lp = scheduler.createQueue(sim.device(0), XQueueConfig.defaults("lp"));
        assertThat(server.next(Message.StopWordSet.class).queueId()).as("armed").isEqualTo(lp.id());
        suspend(lp);

        server.drop();
        assertThat(within(() -> !lp.stats().suspended())).as("every queue runs though its disarm failed").isTrue();
        assertThat(within(() -> !failNext.get())).as("its disarm was tried").isTrue();
        assertThat(server.awaitConnections(2, LIMIT)).as("the I/O thread lived on and reconnected").isTrue();
        assertThat(server.next(Message.QueueCreated.class).queueId()).as("registered again").isEqualTo(lp.id());
        suspend(lp);
    }
}
