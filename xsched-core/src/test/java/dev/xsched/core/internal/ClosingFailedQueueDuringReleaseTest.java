package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.hip.Stream;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The close of a failed queue settles at once and does not take the launch gate to begin, so a
 * release under way when the queue failed went on under the close: the command it was issuing,
 * then its sync point, reached the stream after the close had taken the queue's events (that
 * event was never freed) and, in {@code XQueue.close}, closed the stream. The shutdown waits for
 * the release to end. The queue is driven directly, as the scheduler would; the release is held
 * inside stream work being enqueued, the fail comes from another thread.
 */
class ClosingFailedQueueDuringReleaseTest {
    @Test
    void theShutdownOfAFailedQueueWaitsForTheReleaseUnderWay() {
        FakeGpu gpu = new FakeGpu();
        AtomicBoolean shutDown = new AtomicBoolean();
        List<String> issuedAfterShutdown = new CopyOnWriteArrayList<>();
        gpu.onIssue = issued -> {
            if (shutDown.get()) {
                issuedAfterShutdown.add(issued.what());
            }
        };
        CountDownLatch releasing = new CountDownLatch(1);
        CountDownLatch letTheReleaseGo = new CountDownLatch(1);
        Watchdog.within(Duration.ofSeconds(30), () -> {
            Stream stream = gpu.createStream(0);
            // A sync point after every command: the release records one once its command is out.
            QueueCore queue = new QueueCore(1, new XQueueConfig("q", 4, 1), stream, () -> 0, NoQueueListener.INSTANCE);
            Thread releaser = Thread.ofPlatform().name("releaser").daemon().start(() ->
                    queue.submit((seq, at) -> new Command.Foreign(seq, at, s -> {
                        releasing.countDown();
                        Watchdog.await(letTheReleaseGo);
                    })));
            Watchdog.await(releasing);

            queue.syncPointFailed(new IllegalStateException("injected failure")); // as the completion thread would
            Thread closer = Thread.ofPlatform().name("closer").daemon().start(() -> {
                queue.beginClose(false);
                queue.shutdown();
                shutDown.set(true);
            });
            while (closer.isAlive() && closer.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait(); // it ends (it did not wait) or parks (for the gate, with a bound)
            }
            assertThat(closer.isAlive()).as("the shutdown waits for the release under way").isTrue();

            gpu.autoComplete(true); // the failed queue's close waits for the stream to run what was released
            letTheReleaseGo.countDown();
            releaser.join();
            closer.join();
            assertThat(issuedAfterShutdown).as("issued after the shutdown returned").isEmpty();
            assertThat(queue.isSettled(queue.submittedSeq())).isTrue();
        });
    }
}
