package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.policy.PassThroughPolicy;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static dev.xsched.testsupport.Watchdog.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host callback that throws an {@link Error} is logged like one that throws a runtime
 * exception: the callback counts as complete, what follows it is released, and the thread that
 * ran it (here the queue's completion thread) lives on. A watchdog turns the hang this used to be
 * (the completion thread dead, the callback never counted complete) into a failure.
 */
class HostCallbackErrorTest {
    @Test
    void anAssertionErrorInACallbackNeitherLosesTheCallbackNorKillsTheCompletionThread() {
        FakeGpu gpu = new FakeGpu();
        Kernel kernel = gpu.kernel("k");
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Watchdog.within(Duration.ofSeconds(30), () -> {
            try (XScheduler scheduler = XScheduler.builder().jmx(false).policy(new PassThroughPolicy()).build()) {
                XQueue queue = scheduler.createQueue(gpu, XQueueConfig.defaults("q"));
                FakeStream stream = (FakeStream) queue.stream();
                queue.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(1)); // in flight: the callback waits for it
                queue.callback(() -> {
                    ranOn.set(Thread.currentThread());
                    throw new AssertionError("a bug in the callback");
                });
                queue.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(2));
                // Only the completion thread sees launch 1 complete (this thread waits on nothing of
                // the queue), so it runs the callback, then releases launch 2.
                until(() -> {
                    stream.completeAll(); // launch 1's sync point may reach the stream after a first completeAll
                    return stream.launches().size() == 2;
                });
                assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
                until(() -> {
                    stream.completeAll();
                    return queue.stats().completed() == 3;
                });
                queue.synchronize();

                // The completion thread still observes completions.
                queue.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(3));
                until(() -> {
                    stream.completeAll();
                    return queue.isIdle();
                });
                queue.synchronize();
                assertThat(stream.launches()).containsExactly("launch k#1", "launch k#2", "launch k#3");
            }
        });
    }
}
