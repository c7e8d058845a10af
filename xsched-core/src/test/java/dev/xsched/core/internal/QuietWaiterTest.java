package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A synchronous round trip on an idle queue (one launch, then a wait that records the launch's
 * sync point and sees it complete itself) leaves telling the scheduler of the queue's idleness to
 * the completion thread, which the launch woke and which looks at the queue anyway, instead of
 * waking the scheduling thread on the waiter's path after the device finished. Before, the waiter
 * told the scheduler itself whenever it saw the completion before the completion thread had taken
 * up the sync point (its record woke that thread, which then only deferred to the waiter): nearly
 * every round on a fast device, as the fake's events are.
 */
class QuietWaiterTest {
    private static final Duration HANG = Duration.ofSeconds(60);
    private static final int ROUNDS = 200;

    private final FakeGpu gpu = new FakeGpu().autoComplete(true);
    private final Kernel kernel = gpu.kernel("k");
    /** The thread that told the scheduler of each idleness, in order. */
    private final List<String> idleToldBy = new CopyOnWriteArrayList<>();
    private final QueueListener listener = new NoQueueListener() {
        @Override
        public void onIdle(QueueCore queue, long now) {
            idleToldBy.add(Thread.currentThread().getName());
        }
    };

    @Test
    void theCompletionThreadTellsTheSchedulerThatARoundTripLeftTheQueueIdle() {
        Watchdog.within(HANG, () -> {
            QueueCore queue = new QueueCore(1, XQueueConfig.defaults("q"), gpu.createStream(0), System::nanoTime, listener);
            queue.start(Thread.ofPlatform().name("completions").factory());
            try {
                for (int round = 1; round <= ROUNDS; round++) {
                    long seq = launch(queue);
                    queue.awaitSettled(seq);
                    assertThat(queue.isCompleted(seq)).isTrue();
                    awaitIdleTold(round); // each round starts on an idle queue, its completion thread asleep
                }
                assertThat(idleToldBy).as("who told the scheduler, round by round").hasSize(ROUNDS)
                        .allMatch("completions"::equals);
            } finally {
                queue.beginClose(false);
                queue.shutdown();
            }
        });
    }

    /** Without a completion thread (manual mode) the waiter tells the scheduler itself: nobody else would. */
    @Test
    void withoutACompletionThreadTheWaiterTellsTheScheduler() {
        Watchdog.within(HANG, () -> {
            QueueCore queue = new QueueCore(1, XQueueConfig.defaults("q"), gpu.createStream(0), System::nanoTime, listener);
            try {
                long seq = launch(queue);
                queue.awaitSettled(seq);
                assertThat(idleToldBy).containsExactly(Thread.currentThread().getName());
            } finally {
                queue.beginClose(false);
                queue.shutdown();
            }
        });
    }

    private long launch(QueueCore queue) {
        int tag = (int) queue.submittedSeq() + 1;
        return queue.submit((seq, at) -> new Command.Launch(seq, at, kernel, LaunchConfig.of(1, 1), FakeGpu.tag(tag)));
    }

    /** Waits until the scheduler was told of {@code count} idle spells (the watchdog fails a hang). */
    private void awaitIdleTold(int count) {
        while (idleToldBy.size() < count) {
            LockSupport.parkNanos(10_000);
        }
    }
}
