package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.HoldPolicy;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Event;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** XQueue and scheduler behaviour on a scripted GPU, driven by hand (manual mode): no threads, no sleeps. */
class XQueueTest {
    private final FakeGpu gpu = new FakeGpu();
    private final Kernel kernel = gpu.kernel("k");
    private final LaunchConfig one = LaunchConfig.of(1, 1);
    private XScheduler scheduler;

    private XScheduler scheduler(Policy policy) {
        scheduler = XScheduler.builder().manual(() -> gpu.streams().forEach(s -> s.completeNext(1))).policy(policy).jmx(false).build();
        return scheduler;
    }

    @AfterEach
    void closeScheduler() {
        if (scheduler != null) {
            gpu.streams().forEach(FakeStream::completeAll);
            scheduler.close();
        }
    }

    private static FakeStream fake(XQueue queue) {
        return (FakeStream) queue.stream();
    }

    private void launch(XQueue queue, int tag) {
        queue.launch(kernel, one, FakeGpu.tag(tag));
    }


    @Test
    void releasesAtMostThresholdCommandsAndRecordsASyncPointEveryBatch() {
        XQueue queue = scheduler(new dev.xsched.core.policy.PassThroughPolicy())
                .createQueue(gpu, new XQueueConfig("q", 16, 8));
        IntStream.rangeClosed(1, 40).forEach(i -> launch(queue, i));
        scheduler.pump();
        FakeStream stream = fake(queue);
        assertThat(stream.launches()).hasSize(16);
        assertThat(stream.log()).containsSubsequence("launch k#8", "sync", "launch k#9", "launch k#16", "sync");
        assertThat(queue.stats().buffered()).isEqualTo(24);

        stream.completeNext(9); // the first 8 launches and their sync point
        scheduler.pump();
        assertThat(stream.launches()).hasSize(24);
        assertThat(queue.stats().completed()).isEqualTo(8);
        assertThat(queue.stats().inFlight()).isEqualTo(16);
    }

    @Test
    void aBurstShorterThanABatchStillEndsWithASyncPointSoIdleIsObserved() {
        XQueue queue = scheduler(new dev.xsched.core.policy.PassThroughPolicy()).createQueue(gpu, XQueueConfig.defaults("q"));
        launch(queue, 1);
        launch(queue, 2);
        scheduler.pump();
        // Both launches share one trailing sync point, recorded lazily once the burst is over.
        assertThat(fake(queue).log()).containsExactly("launch k#1", "launch k#2", "sync");
        assertThat(queue.isIdle()).isFalse();
        fake(queue).completeAll();
        assertThat(queue.isIdle()).isTrue();
    }

    @Test
    void suspendedQueuesReleaseNothingAndResumeWhereTheyStopped() {
        HoldPolicy policy = new HoldPolicy("held", true);
        XQueue held = scheduler(policy).createQueue(gpu, XQueueConfig.defaults("held"));
        scheduler.pump();
        IntStream.rangeClosed(1, 5).forEach(i -> launch(held, i));
        scheduler.pump();
        assertThat(fake(held).log()).isEmpty();
        assertThat(held.stats().suspended()).isTrue();

        policy.hold = false;
        held.hint(new Hint.Priority(1)); // any event makes the policy look again
        scheduler.pump();
        assertThat(fake(held).launches()).containsExactly("launch k#1", "launch k#2", "launch k#3", "launch k#4", "launch k#5");
    }

    @Test
    void synchronizeWaitsForBufferedCommandsToo() {
        HoldPolicy policy = new HoldPolicy("held", true);
        XQueue held = scheduler(policy).createQueue(gpu, XQueueConfig.defaults("held"));
        scheduler.pump();
        launch(held, 1);
        assertThatThrownBy(() -> {
            // Nothing can release the buffered launch while the policy holds it: in manual mode the
            // wait ends with an error after the step limit instead of hanging; keep it short here.
            XScheduler quick = XScheduler.builder().manual(null).jmx(false).policy(new HoldPolicy("held", true)).build();
            try {
                XQueue q = quick.createQueue(gpu, XQueueConfig.defaults("held"));
                quick.pump();
                q.launch(kernel, one, FakeGpu.tag(1));
                q.synchronize();
            } finally {
                gpu.streams().forEach(FakeStream::completeAll);
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("would wait forever");

        policy.hold = false;
        held.hint(new Hint.Priority(2));
        held.synchronize();
        assertThat(fake(held).launches()).containsExactly("launch k#1");
        assertThat(held.isIdle()).isTrue();
    }

    @Test
    void callbacksRunAfterEverythingBeforeThemCompletedAndBeforeWhatFollows() {
        XQueue queue = scheduler(new dev.xsched.core.policy.PassThroughPolicy()).createQueue(gpu, XQueueConfig.defaults("q"));
        List<String> seen = new ArrayList<>();
        launch(queue, 1);
        queue.callback(() -> seen.add("callback after " + fake(queue).completed() + " completed"));
        launch(queue, 2);
        scheduler.pump();
        assertThat(seen).isEmpty();
        assertThat(fake(queue).launches()).containsExactly("launch k#1");
        fake(queue).completeAll();
        scheduler.pump();
        assertThat(seen).containsExactly("callback after 2 completed");
        assertThat(fake(queue).launches()).containsExactly("launch k#1", "launch k#2");
    }

    @Test
    void aWaitOnAnotherQueuesEventIsReleasedOnlyAfterThatRecordAndTheProducerIsLentTheRightToRun() {
        // "held" would be suspended forever by the policy; "consumer" waits for its event.
        HoldPolicy policy = new HoldPolicy("held", true);
        scheduler(policy);
        XQueue producer = scheduler.createQueue(gpu, XQueueConfig.defaults("held producer"));
        XQueue consumer = scheduler.createQueue(gpu, XQueueConfig.defaults("consumer"));
        scheduler.pump();
        Event done = gpu.createEvent();
        launch(producer, 1);
        producer.record(done);
        consumer.waitFor(done);
        launch(consumer, 2);
        scheduler.pump();
        // The producer was lent the consumer's right to run, released its record, and the
        // consumer's wait followed it.
        String label = ((FakeGpu.FakeEvent) done).label();
        assertThat(fake(producer).log()).startsWith("launch k#1", "record " + label);
        assertThat(fake(consumer).launches()).containsExactly("wait " + label, "launch k#2");
        consumer.synchronize();
        // Once the consumer no longer waits, the policy's decision stands again.
        launch(producer, 3);
        scheduler.pump();
        assertThat(producer.stats().suspended()).isTrue();
        assertThat(fake(producer).launches()).doesNotContain("launch k#3");
    }

    @Test
    void aPolicyThatThrowsFailsOpenAndTheSchedulerKeepsGoing() {
        AtomicInteger calls = new AtomicInteger();
        Policy broken = new Policy() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public void schedule(SchedulingContext context) {
                calls.incrementAndGet();
                context.queues().forEach(q -> context.suspend(q.id()));
                throw new IllegalStateException("bug in policy");
            }
        };
        XQueue queue = scheduler(broken).createQueue(gpu, XQueueConfig.defaults("q"));
        launch(queue, 1);
        scheduler.pump();
        assertThat(fake(queue).launches()).containsExactly("launch k#1");
        assertThat(scheduler.policyFailureCount()).isPositive();
        fake(queue).completeAll();
        scheduler.pump(); // idle: the policy is asked (and fails) again
        launch(queue, 2);
        scheduler.pump();
        assertThat(calls.get()).isGreaterThanOrEqualTo(2);
        assertThat(fake(queue).launches()).containsExactly("launch k#1", "launch k#2");
    }

    @Test
    void thePolicyCanBeSwitchedWhileRunningAndSeesExistingHints() {
        HoldPolicy hold = new HoldPolicy("held", true);
        XQueue held = scheduler(new dev.xsched.core.policy.PassThroughPolicy()).createQueue(gpu, XQueueConfig.defaults("held"));
        held.hint(new Hint.Priority(7));
        List<Hint> hintsSeen = new ArrayList<>();
        scheduler.setPolicy(new Policy() {
            @Override
            public String name() {
                return "spy";
            }

            @Override
            public void schedule(SchedulingContext context) {
                hold.schedule(context);
            }

            @Override
            public void onHint(long queueId, Hint hint, long now) {
                hintsSeen.add(hint);
            }
        });
        scheduler.pump();
        assertThat(scheduler.policyName()).isEqualTo("spy");
        assertThat(hintsSeen).contains(new Hint.Priority(7));
        launch(held, 1);
        scheduler.pump();
        assertThat(fake(held).log()).isEmpty();
    }

    @Test
    void badInputIsRejectedAtSubmitBeforeAnythingIsBuffered() {
        XQueue queue = scheduler(new dev.xsched.core.policy.PassThroughPolicy()).createQueue(gpu, XQueueConfig.defaults("q"));
        assertThatThrownBy(() -> queue.launch(kernel, one, KernelArgs.builder().i64(1).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argument 0 is INT");
        assertThatThrownBy(() -> queue.launch(kernel, one, KernelArgs.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 1 arguments");
        DeviceBuffer buffer = gpu.allocate(64);
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> queue.copy(buffer, Arena.ofAuto().allocate(32)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size mismatch");
            assertThatThrownBy(() -> queue.copy(buffer, arena.allocate(64)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("confined to one thread");
            assertThatThrownBy(() -> queue.copy(buffer, java.lang.foreign.MemorySegment.ofArray(new byte[64])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap segment");
        }
        assertThatThrownBy(() -> queue.memset(buffer, 256)).isInstanceOf(IllegalArgumentException.class);
        // Another device's memory would fault the kernel (no peer access): refused at submit, not at release.
        DeviceBuffer elsewhere = new FakeGpu().allocate(16);
        assertThatThrownBy(() -> queue.launch(gpu.pointerKernel("p"), one, KernelArgs.builder().pointer(elsewhere).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel argument 0 is memory of device 0");
        buffer.close();
        assertThatThrownBy(() -> queue.memset(buffer, 0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(queue.stats().submitted()).isZero();
        assertThatThrownBy(() -> new XQueueConfig("q", 4, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Hint.Priority(256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeWithDropDiscardsBufferedCommandsAndWaitsForThoseInFlight() {
        XQueue queue = scheduler(new dev.xsched.core.policy.PassThroughPolicy()).createQueue(gpu, new XQueueConfig("q", 4, 2));
        IntStream.rangeClosed(1, 10).forEach(i -> launch(queue, i));
        scheduler.pump();
        FakeStream stream = fake(queue);
        queue.close(CloseMode.DROP);
        assertThat(stream.launches()).hasSize(4);
        assertThat(queue.stats().dropped()).isEqualTo(6);
        assertThat(stream.isOpen()).isFalse();
        assertThat(scheduler.queues()).isEmpty();
        assertThatThrownBy(() -> launch(queue, 11)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void deviceSynchronizeIncludesBufferedCommandsOfEveryQueue() {
        XQueue a = scheduler(new dev.xsched.core.policy.PassThroughPolicy()).createQueue(gpu, new XQueueConfig("a", 2, 1));
        XQueue b = scheduler.createQueue(gpu, new XQueueConfig("b", 2, 1));
        IntStream.rangeClosed(1, 6).forEach(i -> {
            launch(a, i);
            launch(b, i);
        });
        assertThat(a.stats().buffered() + b.stats().buffered()).isPositive();
        scheduler.synchronize(gpu);
        assertThat(fake(a).launches()).hasSize(6);
        assertThat(fake(b).launches()).hasSize(6);
        assertThat(a.isIdle() && b.isIdle()).isTrue();
    }

    @Test
    void readyAndIdleReachThePolicyWithTheirTimes() {
        List<String> seen = new ArrayList<>();
        Policy spy = new Policy() {
            @Override
            public String name() {
                return "spy";
            }

            @Override
            public void schedule(SchedulingContext context) {
                context.queues().forEach(q -> {
                    seen.add(q.ready() + "@" + q.readySince());
                    context.resume(q.id());
                });
            }
        };
        XQueue queue = scheduler(spy).createQueue(gpu, XQueueConfig.defaults("q"));
        scheduler.pump();
        launch(queue, 1);
        scheduler.pump();
        fake(queue).completeAll();
        scheduler.pump();
        assertThat(seen).first().isEqualTo("false@-1");
        assertThat(seen).anyMatch(s -> s.startsWith("true@"));
        assertThat(seen).last().isEqualTo("false@-1");
        assertThat(Set.copyOf(seen)).hasSizeGreaterThanOrEqualTo(2);
    }
}
