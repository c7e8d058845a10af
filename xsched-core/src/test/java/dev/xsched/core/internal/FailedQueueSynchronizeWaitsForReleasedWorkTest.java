package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.hip.Stream;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue's waits settle when it fails, not when the work it released before the failure
 * completes; {@code XQueue.synchronize()} used to throw the failure at once, with that work still
 * in the stream, so a caller that freed its buffers on the exception freed memory the device was
 * still using. Now the throw comes once the stream drained ({@code XScheduler.awaitCompleted}:
 * {@link QueueCore#awaitSettled}, {@link QueueCore#awaitReleasedWorkIfFailed}, then
 * {@link QueueCore#checkCompleted}), and a failure opens the device gate for good, so that the
 * wait does not last as long as a policy keeps the failed queue suspended. On the simulated GPU in
 * virtual time: each launch lasts 10 ms and runs only when the test moves the clock.
 */
class FailedQueueSynchronizeWaitsForReleasedWorkTest {
    private static final long MS = CountedWorkGpu.MS;

    private final CountedWorkGpu sim = new CountedWorkGpu();

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void aLaunchFailingAtItsCallIsThrownOnceTheLaunchesBeforeItRan() {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            Stream stream = sim.gpu.createStream();
            QueueCore queue = sim.queue(new XQueueConfig("plain", 4, 1), stream);
            sim.launch(queue, 0);
            sim.launch(queue, 1);
            long failing = sim.launchFailing(queue);

            Outcome outcome = synchronizeWhileTheClockMoves(queue, failing);

            assertThat(outcome.ranWhenThrown).as("launches run when the failure was thrown").isEqualTo(2);
            assertThat(outcome.thrown).as("what synchronize threw").isNotNull()
                    .hasMessageContaining("plain");
            queue.beginClose(false);
            queue.shutdown();
            stream.close();
        });
    }

    @Test
    void aSuspendedGatedQueueThatFailsLetsItsReleasedWorkRunAndTheWaitEndsWithIt() {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            Stream stream = sim.gpu.createStream();
            QueueCore queue = sim.queue(new XQueueConfig("gated", 4, 1).withDeviceGate(true), stream);
            sim.launch(queue, 0);
            long last = sim.launch(queue, 1);
            queue.setSuspended(true); // the flag goes up: both launches wait behind the gate
            // The completion thread finds a sync point failed: the queue fails while suspended.
            queue.syncPointFailed(new IllegalStateException("sync point of gated failed on purpose"));

            Outcome outcome = synchronizeWhileTheClockMoves(queue, last);

            assertThat(outcome.ranWhenThrown).as("gated launches run when the failure was thrown").isEqualTo(2);
            assertThat(outcome.thrown).as("what synchronize threw").isNotNull()
                    .hasStackTraceContaining("failed on purpose");
            queue.beginClose(false);
            queue.shutdown();
            stream.close();
        });
    }

    private record Outcome(int ranWhenThrown, Throwable thrown) {
    }

    /**
     * What {@code XQueue.synchronize()} does for {@code seq}, on another thread; this one moves
     * virtual time once that thread either ended (it did not wait for the stream) or blocked, and
     * the two launches (10 ms each) run their course.
     */
    private Outcome synchronizeWhileTheClockMoves(QueueCore queue, long seq) throws InterruptedException {
        AtomicInteger ranWhenThrown = new AtomicInteger(-1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread synchronizer = Thread.ofPlatform().name("synchronizer").start(() -> {
            queue.awaitSettled(seq);
            queue.awaitReleasedWorkIfFailed();
            ranWhenThrown.set(sim.ran.get());
            try {
                queue.checkCompleted(seq);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        sim.advanceOnceBlocked(synchronizer, 30 * MS);
        return new Outcome(ranWhenThrown.get(), thrown.get());
    }
}
