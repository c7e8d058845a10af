package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A close that opens the device gate of a suspended queue, while the scheduler resumes the queue
 * and the gated work completes: whoever lowers the flag must release what then may go. The resume
 * and the completion come while the close is writing the flag down, so both find releases stopped
 * (the flag is coming down) and leave them; the close was the last to look, and it only asked for
 * a drain that no one did: the queue kept its buffered work, nothing in flight, running, and the
 * close waited for it forever (seen in {@code xsched stress} with gated queues).
 *
 * <p>The fake GPU stops the closing thread inside its write of the flag; another thread resumes
 * the queue and completes what it released as the completion thread would, then the close goes on.
 * No sleeps: the threads meet by joining, and the watchdog turns a hang into a failure.
 */
class GateOpenedByCloseTest {
    private static final Duration HANG = Duration.ofSeconds(60);

    private final FakeGpu gpu = new FakeGpu();
    private final Kernel kernel = gpu.kernel("k");

    @Test
    void theCloseReleasesWhatAResumeAndACompletionLeftWhileItLoweredTheFlag() {
        Watchdog.within(HANG, () -> {
            QueueCore queue = new QueueCore(1, new XQueueConfig("gated", 4, 1).withDeviceGate(true), gpu.createStream(0),
                    () -> 0L, NoQueueListener.INSTANCE);
            FakeStream stream = (FakeStream) queue.stream();
            launch(queue, 1); // released behind the gate
            queue.setSuspended(true); // raises the flag: the gated launch is held
            long last = launch(queue, 2); // buffered

            // The close's write of 0: meanwhile the scheduler resumes the queue, the device runs the
            // launch the gate let go, and the completion thread sees it complete and drains.
            AtomicBoolean armed = new AtomicBoolean(true);
            AtomicReference<Throwable> threw = new AtomicReference<>();
            gpu.onIssue = issued -> {
                if (issued.streamId() != stream.id() && issued.what().equals("copy h2d") && armed.compareAndSet(true, false)) {
                    Thread other = Thread.ofPlatform().name("scheduler-and-completions").start(() -> {
                        try {
                            queue.setSuspended(false);
                            stream.completeAll();
                            queue.completedUpTo(queue.oldestSyncPoint());
                            queue.drain();
                        } catch (Throwable t) {
                            threw.set(t);
                        }
                    });
                    join(other);
                }
            };
            long waitFor = queue.beginClose(false);

            assertThat(armed).as("the close wrote the flag down").isFalse();
            assertThat(threw.get()).as("what the resume and the completion threw").isNull();
            assertThat(waitFor).isEqualTo(last);
            assertThat(queue.stats().launched()).as("the buffered launch was released").isEqualTo(last);
            stream.completeAll();
            queue.awaitSettled(waitFor);
            queue.checkCompleted(waitFor);
            queue.shutdown();
            stream.close();
        });
    }

    private long launch(QueueCore queue, int tag) {
        return queue.submit((seq, at) -> new Command.Launch(seq, at, kernel, LaunchConfig.of(1, 1), FakeGpu.tag(tag)));
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
