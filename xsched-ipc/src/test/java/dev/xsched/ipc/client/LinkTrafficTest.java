package dev.xsched.ipc.client;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.Device;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.ipc.it.SimGate;
import dev.xsched.ipc.server.SchedulerServer;
import dev.xsched.ipc.server.ServerOptions;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What crosses the socket when a high-priority queue of one client has one burst of work while a
 * low-priority queue of another client runs: its ready and its idle go to the server, and the
 * other client receives one suspend and one resume, nothing more (the count per request of
 * {@code xsched demo --processes 2}), also with the cross-process stop set up (the high-priority
 * queue's turning ready stores into the other's stop word, which adds no frame). Two clients in
 * one JVM, each with a simulator of its own (device 0 of both has the same UUID, as in two
 * processes). Waits are for states, never times.
 */
class LinkTrafficTest {
    @TempDir
    Path dir;

    /** One client: its own simulator, scheduler and queue, whose held commands run when released. */
    private static final class Side implements AutoCloseable {
        final ServerDecisionSource source;
        final SimulatedPlatform sim;
        final XScheduler scheduler;
        final XQueue queue;
        final SimGate gate;

        Side(Path socket, String name, int priority) {
            sim = SimulatedPlatform.builder().realTime().build();
            source = new ServerDecisionSource(socket, name, ClientOptions.defaults().withRemoteStop(true));
            scheduler = XScheduler.builder().name(name).decisionSource(source).jmx(false).build();
            Device gpu = sim.device(0);
            gate = new SimGate(gpu, SimulatedPlatform.withBlockDuration(gpu.loadModule(gpu.compiler()
                    .compile("gate.hip", "extern \"C\" __global__ void gate() { }")).function("gate"), Duration.ofNanos(1_000)));
            queue = scheduler.createQueue(gpu, XQueueConfig.defaults(name)).hint(new Hint.Priority(priority));
        }

        void hold() {
            gate.hold(queue);
        }

        @Override
        public void close() {
            gate.open();
            scheduler.close();
            gate.close();
            sim.close();
        }
    }

    private static void await(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            LockSupport.parkNanos(200_000);
        }
    }

    @Test
    void oneBurstOfTheHighPriorityClientCostsTwoStateChangesAndOneSuspendAndResumeOfTheOther() throws Exception {
        Watchdog.within(Duration.ofMinutes(2), () -> {
            try (SchedulerServer server = SchedulerServer.start(ServerOptions.defaults().withSocket(dir.resolve("s"))
                         .withJmx(false), (level, line) -> { });
                 Side online = new Side(server.socket(), "online", 10);
                 Side batch = new Side(server.socket(), "batch", -10)) {
                // The gate holds the stream with a wait on host memory, which every device-wide call
                // of the device waits for, as on a GPU: the arm's registration of the stop-word file
                // is one. So the queue is armed before it is held (a hold first hung the arm, and the
                // scheduling thread with it, in about half the runs).
                await(() -> batch.source.stopWordOf(batch.queue.id()) != null);
                batch.hold();
                // Registered, hinted, decided: the setup's traffic is not the burst's.
                // The stop words too: the online queue stores into the batch queue's word when it turns
                // ready. A client counts a frame once its send returned, which can be after the server
                // acted on it: wait for the counts of the setup's frames too (online: created, hint,
                // stop word; batch: the same and its ready).
                await(() -> server.onServerThread(c -> c.status().queues().stream().filter(q -> q.ready()).count()) == 1
                        && server.onServerThread(c -> c.status().queues().stream().filter(q -> !q.hints().isEmpty()).count()) == 2
                        && online.source.traffic().decisionFrames() >= 1 && batch.source.traffic().decisionFrames() >= 1
                        && online.source.raisesOnReady(online.queue.id())
                        && online.source.traffic().stateChanges() >= 3 && batch.source.traffic().stateChanges() >= 4);
                int stored = batch.source.stopWordOf(batch.queue.id()).value();
                LinkTraffic onlineBefore = online.source.traffic();
                LinkTraffic batchBefore = batch.source.traffic();

                online.hold();
                await(() -> batch.queue.stats().suspended());
                online.gate.release();
                online.queue.synchronize();
                await(() -> !batch.queue.stats().suspended());
                // The online client counts a frame once its send returned, which can be after the
                // server acted on it (the batch resumed): wait for the idle's count too.
                await(() -> online.source.traffic().stateChanges() - onlineBefore.stateChanges() >= 2);

                LinkTraffic onlineAfter = online.source.traffic();
                LinkTraffic batchAfter = batch.source.traffic();
                assertThat(onlineAfter.stateChanges() - onlineBefore.stateChanges()).as("ready, then idle").isEqualTo(2);
                assertThat(onlineAfter.decisionFrames() - onlineBefore.decisionFrames()).as("the running queue is not told again")
                        .isZero();
                assertThat(batchAfter.suspends() - batchBefore.suspends()).isEqualTo(1);
                assertThat(batchAfter.resumes() - batchBefore.resumes()).isEqualTo(1);
                assertThat(batchAfter.decisionFrames() - batchBefore.decisionFrames()).isEqualTo(2);
                assertThat(batchAfter.stateChanges() - batchBefore.stateChanges()).as("the suspended queue stayed ready").isZero();
                assertThat(batch.source.stopWordOf(batch.queue.id()).value()).as("one store by the online queue's turning ready")
                        .isEqualTo(stored + 1);
            }
        });
    }
}
