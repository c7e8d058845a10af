package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.hip.HipException;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A sync point whose record fails fails the queue; its event, in no pool and no sync point, is
 * freed at once (it was dropped, and nothing freed it). The queue is driven directly.
 */
class FailedSyncPointRecordTest {
    @Test
    void theEventOfASyncPointWhoseRecordFailedIsFreed() {
        FakeGpu gpu = new FakeGpu();
        gpu.onIssue = issued -> {
            if (issued.what().equals("sync")) {
                throw new HipException(700, "hipErrorIllegalAddress", "an illegal memory access", "hipEventRecord");
            }
        };
        Watchdog.within(Duration.ofSeconds(30), () -> {
            Stream stream = gpu.createStream(0);
            // A sync point after every command.
            QueueCore queue = new QueueCore(1, new XQueueConfig("q", 4, 1), stream, () -> 0, NoQueueListener.INSTANCE);
            long seq = queue.submit((s, at) -> new Command.Launch(s, at, gpu.kernel("k"), LaunchConfig.of(1, 1),
                    FakeGpu.tag(1)));

            assertThatThrownBy(() -> queue.isCompleted(seq)).isInstanceOf(HipException.class);
            assertThat(gpu.eventsClosed).as("the event whose record failed").hasValue(1);
            ((FakeStream) stream).completeAll(); // the failed queue's close waits for its launch
            queue.beginClose(false);
            queue.shutdown();
        });
    }

    /**
     * A pooled event (its last sync point completed) whose new record fails goes back to the pool,
     * not closed at once: a waiter that saw its last sync point complete may still be polling it,
     * and would find it closed. The close frees it with the pool.
     */
    @Test
    void aPooledEventWhoseRecordFailedIsFreedWithThePoolAtTheClose() {
        FakeGpu gpu = new FakeGpu();
        java.util.concurrent.atomic.AtomicInteger syncs = new java.util.concurrent.atomic.AtomicInteger();
        gpu.onIssue = issued -> {
            if (issued.what().equals("sync") && syncs.incrementAndGet() == 2) {
                throw new HipException(700, "hipErrorIllegalAddress", "an illegal memory access", "hipEventRecord");
            }
        };
        Watchdog.within(Duration.ofSeconds(30), () -> {
            Stream stream = gpu.createStream(0);
            QueueCore queue = new QueueCore(1, new XQueueConfig("q", 4, 1), stream, () -> 0, NoQueueListener.INSTANCE);
            long first = queue.submit((s, at) -> new Command.Launch(s, at, gpu.kernel("k"), LaunchConfig.of(1, 1),
                    FakeGpu.tag(1)));
            ((FakeStream) stream).completeAll();
            queue.pollCompletions();
            assertThat(queue.isCompleted(first)).as("its sync point seen complete: the event is pooled").isTrue();
            long second = queue.submit((s, at) -> new Command.Launch(s, at, gpu.kernel("k"), LaunchConfig.of(1, 1),
                    FakeGpu.tag(2)));

            assertThatThrownBy(() -> queue.isCompleted(second)).isInstanceOf(HipException.class);
            assertThat(gpu.eventsClosed).as("the pooled event, still in the pool").hasValue(0);
            ((FakeStream) stream).completeAll();
            queue.beginClose(false);
            queue.shutdown();
            assertThat(gpu.eventsClosed).as("freed with the pool").hasValue(1);
        });
    }
}
