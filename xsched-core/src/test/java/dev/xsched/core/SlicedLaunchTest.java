package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.HoldPolicy;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.PassThroughPolicy;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;
import dev.xsched.hip.Dim3;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.SlicedKernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sliced launches through an XQueue on the scripted GPU, driven by hand. */
class SlicedLaunchTest {
    private final FakeGpu gpu = new FakeGpu();
    private final Kernel sliced = gpu.slicedKernel("s");
    private XScheduler scheduler;

    private XScheduler scheduler(Policy policy) {
        scheduler = XScheduler.builder().manual(() -> gpu.streams().forEach(s -> s.completeNext(1))).policy(policy).jmx(false).build();
        return scheduler;
    }

    @AfterEach
    void close() {
        if (scheduler != null) {
            gpu.streams().forEach(FakeStream::completeAll);
            scheduler.close();
        }
    }

    @Test
    void aGridBecomesOneCommandPerSliceWithItsOffsetAppended() {
        XQueue q = scheduler(new PassThroughPolicy()).createQueue(gpu, new XQueueConfig("q", 16, 8));
        q.launchSliced(sliced, LaunchConfig.of(10, 64), FakeGpu.tag(7), 3);
        scheduler.pump();
        assertThat(((FakeStream) q.stream()).launches())
                .containsExactly("launch s#7@0+3", "launch s#7@3+3", "launch s#7@6+3", "launch s#7@9+1");
        assertThat(q.stats().submitted()).isEqualTo(4);
    }

    @Test
    void aSuspendTakesEffectAfterTheSlicesInFlightAndResumeContinuesWithTheNextSlice() {
        HoldPolicy policy = new HoldPolicy("", false);
        XQueue q = scheduler(policy).createQueue(gpu, new XQueueConfig("q", 2, 1));
        scheduler.pump();
        FakeStream stream = (FakeStream) q.stream();
        q.launchSliced(sliced, LaunchConfig.of(8, 64), FakeGpu.tag(1), 1);
        assertThat(stream.launches()).containsExactly("launch s#1@0+1", "launch s#1@1+1"); // threshold 2

        policy.hold = true;
        q.hint(new Hint.Priority(-1)); // the policy looks again and suspends
        scheduler.pump();
        assertThat(q.stats().suspended()).isTrue();
        stream.completeAll(); // the two slices in flight finish; nothing more is released
        scheduler.pump();
        assertThat(stream.launches()).hasSize(2);
        assertThat(q.stats().buffered()).isEqualTo(6);

        policy.hold = false;
        q.hint(new Hint.Priority(0));
        q.synchronize();
        assertThat(stream.launches()).containsExactly("launch s#1@0+1", "launch s#1@1+1", "launch s#1@2+1",
                "launch s#1@3+1", "launch s#1@4+1", "launch s#1@5+1", "launch s#1@6+1", "launch s#1@7+1");
    }

    @Test
    void aSliceLargerThanTheGridIsOneLaunchAtOffsetZero() {
        XQueue q = scheduler(new PassThroughPolicy()).createQueue(gpu, XQueueConfig.defaults("q"));
        q.launchSliced(sliced, LaunchConfig.of(5, 64), FakeGpu.tag(2), 100);
        q.synchronize();
        assertThat(((FakeStream) q.stream()).launches()).containsExactly("launch s#2@0+5");
    }

    @Test
    void invalidSlicedLaunchesAreRejectedBeforeAnythingIsBuffered() {
        XQueue q = scheduler(new PassThroughPolicy()).createQueue(gpu, XQueueConfig.defaults("q"));
        LaunchConfig config = LaunchConfig.of(10, 64);
        assertThatThrownBy(() -> q.launchSliced(sliced, config, FakeGpu.tag(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blocksPerSlice");
        Kernel endsWithFloat = new Kernel() {
            @Override
            public String name() {
                return "f";
            }

            @Override
            public java.util.List<dev.xsched.hip.ParamType> signature() {
                return java.util.List.of(dev.xsched.hip.ParamType.INT, dev.xsched.hip.ParamType.FLOAT);
            }

            @Override
            public boolean isLoaded() {
                return true;
            }
        };
        assertThatThrownBy(() -> q.launchSliced(endsWithFloat, config, FakeGpu.tag(1), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not sliceable");
        assertThatThrownBy(() -> q.launchSliced(sliced, LaunchConfig.of(Dim3.of(4, 2), Dim3.of(64)), FakeGpu.tag(1), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one-dimensional");
        assertThatThrownBy(() -> q.launchSliced(sliced, config, KernelArgs.builder().i32(1).i32(0).build(), 2))
                .as("the offset is appended by the queue, not given").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before the block offset");
        assertThatThrownBy(() -> q.launchSliced(sliced, config, KernelArgs.builder().f32(1).build(), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argument 0");
        assertThat(q.stats().submitted()).isZero();
        assertThat(((FakeStream) q.stream()).log()).isEmpty();
    }

    @Test
    void onAPlainStreamTheSlicesRunBackToBack() {
        FakeStream stream = (FakeStream) gpu.createStream();
        stream.launchSliced(sliced, LaunchConfig.of(7, 64), FakeGpu.tag(3), 4);
        assertThat(stream.launches()).containsExactly("launch s#3@0+4", "launch s#3@4+3");
    }

    @Test
    void thePlanCoversTheGridExactlyOnceForEverySliceSize() {
        for (int grid = 1; grid <= 40; grid++) {
            for (int k = 1; k <= 45; k++) {
                var slices = SlicedKernels.plan(sliced, LaunchConfig.of(grid, 32), FakeGpu.tag(0), k);
                assertThat(slices).hasSize(SlicedKernels.sliceCount(grid, k));
                int next = 0;
                for (var slice : slices) {
                    assertThat(slice.offset()).isEqualTo(next);
                    assertThat(slice.args().bits(1)).isEqualTo(next);
                    assertThat(slice.config().grid().x()).isBetween(1, k);
                    assertThat(slice.config().block()).isEqualTo(Dim3.of(32));
                    next += slice.config().grid().x();
                }
                assertThat(next).isEqualTo(grid);
            }
        }
    }
}
