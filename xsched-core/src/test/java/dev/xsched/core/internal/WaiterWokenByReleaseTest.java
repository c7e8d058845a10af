package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread waiting for a command that another thread releases wakes at that release and records
 * the command's sync point itself. Before, only a burst's first release, a sync point's record or
 * a completion woke it, so a waiter for a later command of a short burst released by another
 * thread (a resumed queue) depended on the completion thread to record the burst's sync point,
 * which it now does only once the releases have been quiet for a while (UncoveredLinger). The queue here has no completion
 * thread at all: without the wake-up the waiter never returns.
 */
class WaiterWokenByReleaseTest {
    private static final Duration HANG = Duration.ofSeconds(60);

    private final FakeGpu gpu = new FakeGpu().autoComplete(true);
    private final Kernel kernel = gpu.kernel("k");
    private final AtomicReference<Throwable> waiterThrew = new AtomicReference<>();

    @Test
    void aWaiterForTheLastCommandOfABurstThatAnotherThreadReleasesWakesAtItsRelease() {
        Watchdog.within(HANG, () -> {
            QueueCore queue = new QueueCore(1, XQueueConfig.defaults("q"), gpu.createStream(0), () -> 0L,
                    NoQueueListener.INSTANCE);
            queue.setSuspended(true);
            for (int i = 0; i < 2; i++) {
                launch(queue);
            }
            long last = launch(queue);
            Thread[] waiter = new Thread[1];
            // The resume releases the three on this thread. The waiter comes while the second is
            // being issued (after the burst's first release woke no one), so only a wake-up at a
            // later release can tell it that its command is out.
            gpu.onIssue = issued -> {
                if (issued.what().equals("launch k#2") && waiter[0] == null) {
                    waiter[0] = Thread.ofPlatform().name("waiter").uncaughtExceptionHandler((t, e) -> waiterThrew.set(e))
                            .start(() -> queue.awaitSettled(last));
                    awaitParked(waiter[0]);
                }
            };
            queue.setSuspended(false);

            waiter[0].join();
            assertThat(waiterThrew.get()).as("what the waiter threw").isNull();
            assertThat(queue.isCompleted(last)).isTrue();
        });
    }

    private long launch(QueueCore queue) {
        int tag = (int) queue.submittedSeq() + 1;
        return queue.submit((seq, at) -> new Command.Launch(seq, at, kernel, LaunchConfig.of(1, 1), FakeGpu.tag(tag)));
    }

    /** Waits until {@code thread} blocks (on the queue's condition: nothing else blocks it here). */
    private static void awaitParked(Thread thread) {
        while (thread.getState() != Thread.State.WAITING) {
            if (!thread.isAlive()) {
                throw new AssertionError("the waiter ended before its command was released");
            }
            Thread.onSpinWait();
        }
    }
}
