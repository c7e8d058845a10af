package dev.xsched.core.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness on a virtual clock: when a queue counts as ready, and who tells the scheduler that it
 * went idle (the thread that saw it, or the completion thread when that one will look at the queue
 * anyway: it waits on the same sync point, lingers, or was woken by the burst's first release).
 */
class ReadinessTest {
    private long now = 1_000;
    private boolean onCompletionThread;
    private boolean hasCompletionThread = true;
    private final List<Long> idleTold = new ArrayList<>();
    private final Readiness readiness = new Readiness(null, new QueueListener() {
        @Override
        public void onReady(QueueCore queue, long at) {
            throw new AssertionError("Readiness never tells of readiness itself: the submitter does");
        }

        @Override
        public void onIdle(QueueCore queue, long at) {
            idleTold.add(at);
        }

        @Override
        public void onBlocked(QueueCore queue, QueueCore producer) {
            throw new AssertionError("not Readiness's business");
        }

        @Override
        public void onUnblocked(QueueCore queue) {
            throw new AssertionError("not Readiness's business");
        }

        @Override
        public void onSuspendedTailDrained(QueueCore queue) {
            throw new AssertionError("not Readiness's business");
        }
    }, () -> now, () -> onCompletionThread, () -> hasCompletionThread);

    @Test
    void aQueueIsReadyFromItsFirstCommandUntilItHoldsNothing() {
        assertThat(readiness.readySince()).isEqualTo(-1);
        assertThat(readiness.markReady(now)).as("became ready: the submitter tells the scheduler").isTrue();
        now += 50;
        assertThat(readiness.markReady(now)).as("already ready").isFalse();
        assertThat(readiness.readySince()).as("since the first command").isEqualTo(1_000);

        readiness.checkIdle(false);
        assertThat(readiness.isReady()).isTrue();
        assertThat(idleTold).isEmpty();

        now += 200;
        readiness.checkIdle(true);
        assertThat(readiness.isReady()).isFalse();
        assertThat(readiness.readySince()).isEqualTo(-1);
        assertThat(idleTold).as("told at once, at the clock's time").containsExactly(1_250L);
    }

    @Test
    void idlenessIsToldOnceNotAgainWhileNothingCame() {
        readiness.markReady(now);
        readiness.checkIdle(true);
        readiness.checkIdle(true);

        assertThat(idleTold).hasSize(1);
    }

    @Test
    void anotherThreadLeavesTheNoticeToTheCompletionThreadWaitingOnTheSameSyncPoint() {
        readiness.markReady(now);
        readiness.completionThreadWillLook(true);
        now = 2_000;

        readiness.checkIdle(true); // a synchronous waiter saw the sync point complete first
        assertThat(idleTold).as("the waiter returns without waking the scheduler").isEmpty();
        assertThat(readiness.isReady()).isFalse();

        assertThat(readiness.takeIdleNotice()).as("the completion thread tells, with the time it happened").isEqualTo(2_000);
        assertThat(readiness.takeIdleNotice()).as("once").isEqualTo(-1);
    }

    @Test
    void aNoticeLeftToTheCompletionThreadIsDroppedWhenWorkCameMeanwhile() {
        readiness.markReady(now);
        readiness.completionThreadWillLook(true);
        readiness.checkIdle(true);
        readiness.markReady(now + 10); // the scheduler is told of this by the submitter

        assertThat(readiness.takeIdleNotice()).isEqualTo(-1);
        assertThat(readiness.takeIdleNotice()).as("nothing left once work goes idle again later").isEqualTo(-1);
    }

    @Test
    void theCompletionThreadItselfTellsAtOnce() {
        readiness.markReady(now);
        readiness.completionThreadWillLook(true);
        onCompletionThread = true;

        readiness.checkIdle(true);

        assertThat(idleTold).containsExactly(1_000L);
        assertThat(readiness.takeIdleNotice()).isEqualTo(-1);
    }

    @Test
    void withTheCompletionThreadNotWaitingAnyThreadTellsAtOnce() {
        readiness.markReady(now);
        readiness.completionThreadWillLook(true);
        readiness.completionThreadWillLook(false); // it went to sleep until woken, or polls

        readiness.checkIdle(true);

        assertThat(idleTold).containsExactly(1_000L);
    }

    @Test
    void aNoticeIsLeftToACompletionThreadThatTheBurstsFirstReleaseWoke() {
        readiness.markReady(now);
        readiness.completionThreadWillLook(false); // asleep until woken
        readiness.completionThreadWoken(); // the release that started the burst
        now = 3_000;

        readiness.checkIdle(true); // the waiter covered the burst and saw it complete before that thread ran
        assertThat(idleTold).as("the waiter does not wake the scheduler after the device finished").isEmpty();
        assertThat(readiness.takeIdleNotice()).as("the woken thread tells when it looks").isEqualTo(3_000);
    }

    @Test
    void withoutACompletionThreadAWakeUpLeavesNothingToIt() {
        hasCompletionThread = false; // manual mode: the release signals a condition nobody waits on
        readiness.markReady(now);
        readiness.completionThreadWoken();

        readiness.checkIdle(true);

        assertThat(idleTold).as("told at once: nobody would take a notice").containsExactly(1_000L);
    }
}
