package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.hip.HipException;
import dev.xsched.hip.LaunchConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A queue that failed releases nothing more, so a policy must no longer see it as holding work:
 * it stayed "ready" for as long as it stayed open (nothing marked it idle: its dropped buffer was
 * never released and work it had launched without a sync point was never observed), so a policy
 * that suspends others while it has work (hpf with it on top) kept them suspended until the
 * application closed it.
 */
class FailedQueueGoesIdleTest {
    private final FakeGpu gpu = new FakeGpu();

    @Test
    void aQueueThatFailsOnIssueNoLongerKeepsTheOthersSuspended() {
        XScheduler scheduler = scheduler();
        XQueue hp = scheduler.createQueue(gpu, XQueueConfig.defaults("hp"));
        XQueue lp = scheduler.createQueue(gpu, XQueueConfig.defaults("lp"));
        failLaunchesOn(hp);
        lp.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(1));
        hp.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(2));
        scheduler.pump();

        assertThatThrownBy(hp::synchronize).isInstanceOf(HipException.class);
        assertThat(hp.core().snapshot().ready()).as("the failed queue holds no work a policy could schedule").isFalse();
        assertThat(lp.stats().suspended()).as("lp, suspended only while hp had work").isFalse();
        lp.synchronize();
        scheduler.close();
    }

    @Test
    void aQueueThatFailsWithWorkInFlightAndUncoveredNoLongerKeepsTheOthersSuspended() {
        XScheduler scheduler = scheduler();
        // A batch longer than the burst: the first launch goes out without a sync point.
        XQueue hp = scheduler.createQueue(gpu, XQueueConfig.defaults("hp").withThreshold(4).withBatchSize(4));
        XQueue lp = scheduler.createQueue(gpu, XQueueConfig.defaults("lp"));
        hp.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(1));
        failLaunchesOn(hp);
        hp.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(2));
        lp.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(3));
        scheduler.pump();
        scheduler.pump();

        assertThat(hp.core().snapshot().ready()).as("the failed queue holds no work a policy could schedule").isFalse();
        assertThat(lp.stats().suspended()).as("lp, suspended only while hp had work").isFalse();
        lp.synchronize();
        assertThatThrownBy(hp::synchronize).isInstanceOf(HipException.class);
        scheduler.close();
    }

    /** From now on every launch that reaches {@code queue}'s stream fails at its call. */
    private void failLaunchesOn(XQueue queue) {
        FakeStream stream = (FakeStream) queue.core().stream();
        gpu.onIssue = issued -> {
            if (issued.streamId() == stream.id() && issued.what().startsWith("launch")) {
                throw new HipException(700, "hipErrorIllegalAddress", "an illegal memory access was encountered", "hipModuleLaunchKernel");
            }
        };
    }

    private XScheduler scheduler() {
        return XScheduler.builder().manual(() -> gpu.streams().forEach(s -> s.completeNext(1))).policy(new OnlineFirst())
                .jmx(false).build();
    }
}
