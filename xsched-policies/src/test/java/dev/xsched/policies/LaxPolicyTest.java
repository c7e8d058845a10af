package dev.xsched.policies;

import dev.xsched.core.policy.DecisionRound;
import dev.xsched.core.policy.Hint;
import org.junit.jupiter.api.Test;

import static dev.xsched.policies.Decisions.Q.idle;
import static dev.xsched.policies.Decisions.Q.ready;
import static dev.xsched.policies.Decisions.all;
import static dev.xsched.policies.Decisions.decide;
import static org.assertj.core.api.Assertions.assertThat;

class LaxPolicyTest {
    private static final long MS = 1_000_000;

    @Test
    void beforeItsLaxityAQueueRunsAtItsLowPriorityAndAsksToBeWokenWhenItTurnsCritical() {
        LaxPolicy lax = new LaxPolicy();
        DecisionRound d = decide(lax, 2 * MS, all(
                ready(1, MS).hint(new Hint.Laxity(3 * MS, -5, 50)),
                ready(2, 0).hint(new Hint.Priority(10))));
        assertThat(d.runningReady()).containsExactly(2L);
        assertThat(d.wakeUps()).containsExactly(4 * MS);
    }

    @Test
    void pastItsLaxityItRunsAtItsCriticalPriorityAboveAHigherStaticPriority() {
        DecisionRound d = decide(new LaxPolicy(), 4 * MS, all(
                ready(1, MS).hint(new Hint.Laxity(3 * MS, -5, 50)),
                ready(2, 0).hint(new Hint.Priority(10))));
        assertThat(d.runningReady()).containsExactly(1L);
        assertThat(d.wakeUps()).isEmpty();
    }

    @Test
    void onAClockBeforeZeroALaxityStillRunsOut() {
        // System.nanoTime(), the default clock, may be negative: a ready time of -10 ms is a time.
        LaxPolicy lax = new LaxPolicy();
        var queues = all(ready(1, -10 * MS).hint(new Hint.Laxity(3 * MS, -5, 50)), ready(2, -20 * MS).hint(new Hint.Priority(10)));
        DecisionRound early = decide(lax, -8 * MS, queues);
        assertThat(early.runningReady()).containsExactly(2L);
        assertThat(early.wakeUps()).containsExactly(-7 * MS);
        assertThat(decide(lax, -7 * MS, queues).runningReady()).containsExactly(1L);
    }

    @Test
    void equalCurrentPrioritiesRunTogether() {
        DecisionRound d = decide(new LaxPolicy(), 4 * MS, all(
                ready(1, MS).hint(new Hint.Laxity(MS, 0, 10)),
                ready(2, 0).hint(new Hint.Priority(10)),
                ready(3, 0)));
        assertThat(d.runningReady()).containsExactly(1L, 2L);
    }

    @Test
    void theSameWakeUpIsRequestedOnce() {
        LaxPolicy lax = new LaxPolicy();
        var queues = all(ready(1, 0).hint(new Hint.Laxity(5 * MS, 0, 10)), ready(2, 0));
        assertThat(decide(lax, MS, queues).wakeUps()).containsExactly(5 * MS);
        assertThat(decide(lax, 2 * MS, queues).wakeUps()).isEmpty();
    }

    @Test
    void anIdleQueueStaysResumedOnlyIfItWouldStartAtTheRunningPriorityOrAbove() {
        DecisionRound d = decide(new LaxPolicy(), 0, all(
                ready(1, 0).hint(new Hint.Priority(3)),
                idle(2).hint(new Hint.Laxity(MS, 0, 99)),
                idle(3).hint(new Hint.Laxity(0, 0, 99))));
        assertThat(d.running()).containsExactly(1L, 3L);
    }

    @Test
    void devicesAreScheduledIndependently() {
        DecisionRound d = decide(new LaxPolicy(), 0, all(
                ready(1, 0).hint(new Hint.Priority(9)), ready(2, 0).device(1).hint(new Hint.Laxity(MS, -3, 3))));
        assertThat(d.running()).containsExactly(1L, 2L);
    }
}
