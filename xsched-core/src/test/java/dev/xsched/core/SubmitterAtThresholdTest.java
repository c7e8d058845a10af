package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.policy.PassThroughPolicy;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;

import static dev.xsched.testsupport.Watchdog.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A submitter that runs ahead of the device opens the window itself: once a sync point has
 * completed, its next submit releases what the threshold held back, without the completion
 * thread (held at its start here, so it can do nothing).
 */
class SubmitterAtThresholdTest {
    private static final LaunchConfig ONE = LaunchConfig.of(1, 1);

    /** Makes platform threads; the completion threads wait for {@code gate} before they run. */
    private static ThreadFactory holdingCompletionThreads(CountDownLatch gate) {
        return r -> Thread.ofPlatform().daemon().unstarted(() -> {
            if (Thread.currentThread().getName().endsWith("-completions")) {
                awaitUninterruptibly(gate);
            }
            r.run();
        });
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // the gate is opened by the test in every outcome
            }
        }
    }

    @Test
    void aSubmitAtTheThresholdReleasesOnceASyncPointCompleted() {
        FakeGpu gpu = new FakeGpu();
        CountDownLatch gate = new CountDownLatch(1);
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (XScheduler scheduler = XScheduler.builder().policy(new PassThroughPolicy()).jmx(false)
                    .threadFactory(holdingCompletionThreads(gate)).build()) {
                XQueue queue = scheduler.createQueue(gpu, new XQueueConfig("q", 4, 2));
                FakeStream stream = (FakeStream) queue.stream();
                Kernel kernel = gpu.kernel("k");
                try {
                    until(() -> !queue.stats().suspended()); // the policy's first decision resumes it
                    for (int i = 1; i <= 5; i++) {
                        queue.launch(kernel, ONE, FakeGpu.tag(i));
                    }
                    // Threshold 4: the fifth waits; a sync point follows every second launch. A launch
                    // that finds the launch gate held (the scheduling thread applying its first
                    // decision) leaves its command to the holder, so the releases and the sync point
                    // may come just after the call: waited for, the watchdog bounding it.
                    until(() -> stream.log().size() >= 6);
                    assertThat(stream.launches()).containsExactly("launch k#1", "launch k#2", "launch k#3", "launch k#4");
                    assertThat(stream.log()).containsExactly("launch k#1", "launch k#2", "sync", "launch k#3", "launch k#4", "sync");

                    queue.launch(kernel, ONE, FakeGpu.tag(6)); // nothing completed: still held
                    assertThat(queue.stats().buffered()).isEqualTo(2);

                    stream.completeNext(3); // the first two launches and their sync point
                    queue.launch(kernel, ONE, FakeGpu.tag(7));
                    until(() -> stream.launches().size() >= 6);
                    assertThat(stream.launches()).containsExactly("launch k#1", "launch k#2", "launch k#3", "launch k#4",
                            "launch k#5", "launch k#6");
                    assertThat(queue.stats().completed()).isEqualTo(2);
                    assertThat(queue.stats().buffered()).isEqualTo(1);
                } finally {
                    gate.countDown();
                    // Also when an assertion above failed: the close would wait for the held work.
                    gpu.autoComplete(true);
                    stream.completeAll();
                }
                queue.synchronize();
                assertThat(stream.launches()).hasSize(7);
                assertThat(queue.stats().completed()).isEqualTo(7);
            }
        });
    }
}
