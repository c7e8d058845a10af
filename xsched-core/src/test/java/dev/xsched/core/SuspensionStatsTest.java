package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.fake.HoldPolicy;
import dev.xsched.core.policy.Hint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The suspension counters and times of {@link XQueueStats} and the decision counters of {@link XScheduler}, on a hand-moved clock. */
class SuspensionStatsTest {
    private final FakeGpu gpu = new FakeGpu();
    private final AtomicLong now = new AtomicLong(1_000);
    private final HoldPolicy policy = new HoldPolicy("", false);
    private final XScheduler scheduler = XScheduler.builder().clock(now::get).policy(policy).jmx(false)
            .manual(() -> gpu.streams().forEach(s -> s.completeNext(1))).build();

    @AfterEach
    void close() {
        gpu.streams().forEach(FakeStream::completeAll);
        scheduler.close();
    }

    /** Flips the policy's hold and makes the scheduler decide (a hint is an event). */
    private void hold(XQueue queue, boolean hold) {
        policy.hold = hold;
        queue.hint(new Hint.Priority(0));
        scheduler.pump();
    }

    @Test
    void countsEachStopAndTheClockTimeSpentStoppedIncludingTheCurrentStop() {
        XQueue queue = scheduler.createQueue(gpu, XQueueConfig.defaults("q"));
        now.addAndGet(50); // created stopped: held until the policy's first decision
        scheduler.pump();
        assertThat(queue.stats().suspensions()).isEqualTo(1);
        assertThat(queue.stats().suspendedNanos()).isEqualTo(50);
        assertThat(queue.stats().lastSuspendedAt()).as("created stopped").isEqualTo(1_000);
        assertThat(queue.stats().suspended()).isFalse();

        now.addAndGet(1_000); // running time does not count
        hold(queue, true);
        now.addAndGet(300);
        assertThat(queue.stats().suspended()).isTrue();
        assertThat(queue.stats().lastSuspendedAt()).isEqualTo(2_050);
        assertThat(queue.stats().suspendedNanos()).as("the current stop counts up to now").isEqualTo(350);

        hold(queue, true); // a decision that keeps it stopped is not a new stop
        now.addAndGet(200);
        hold(queue, false);
        now.addAndGet(5_000);
        assertThat(queue.stats().suspensions()).isEqualTo(2);
        assertThat(queue.stats().suspendedNanos()).isEqualTo(550);
        assertThat(queue.stats().lastSuspendedAt()).as("kept after the resume; a decision that kept it stopped began none")
                .isEqualTo(2_050);
    }

    @Test
    void decisionsCountEveryRoundAndPolicyFailuresCountEveryThrow() {
        XQueue queue = scheduler.createQueue(gpu, XQueueConfig.defaults("q"));
        scheduler.pump();
        long decisions = scheduler.decisionCount();
        assertThat(decisions).isPositive();
        hold(queue, false);
        assertThat(scheduler.decisionCount()).isEqualTo(decisions + 1);
        assertThat(scheduler.policyFailureCount()).isZero();
    }
}
