package dev.xsched.policies;

import dev.xsched.core.policy.DecisionRound;
import dev.xsched.core.policy.Hint;
import org.junit.jupiter.api.Test;

import static dev.xsched.policies.Decisions.Q.idle;
import static dev.xsched.policies.Decisions.Q.ready;
import static dev.xsched.policies.Decisions.all;
import static dev.xsched.policies.Decisions.decide;
import static org.assertj.core.api.Assertions.assertThat;

class KedfPolicyTest {
    private static final long MS = 1_000_000;

    @Test
    void theEarliestDeadlineRunsDeadlineIsReadyTimePlusTheRelativeDeadline() {
        KedfPolicy edf = new KedfPolicy(1);
        // 1: ready at 0 + 10 ms = 10 ms; 2: ready at 3 ms + 5 ms = 8 ms; 3: no deadline.
        DecisionRound d = decide(edf, 4 * MS, all(
                ready(1, 0).hint(new Hint.Deadline(10 * MS)),
                ready(2, 3 * MS).hint(new Hint.Deadline(5 * MS)),
                ready(3, 0)));
        assertThat(d.runningReady()).containsExactly(2L);
    }

    @Test
    void onAClockBeforeZeroRelativeDeadlinesCountFromTheReadyTime() {
        // System.nanoTime(), the default clock, may be negative: 1's deadline is -10 + 5 = -5 ms,
        // 2's is -1 + 2 = 1 ms (counted from now, both moved with the clock and 2 came first).
        DecisionRound d = decide(new KedfPolicy(1), -MS / 2, all(
                ready(1, -10 * MS).hint(new Hint.Deadline(5 * MS)),
                ready(2, -MS).hint(new Hint.Deadline(2 * MS))));
        assertThat(d.runningReady()).containsExactly(1L);
    }

    @Test
    void kEarliestRunAndQueuesWithoutDeadlineFillFreeSlots() {
        KedfPolicy edf = new KedfPolicy(2);
        DecisionRound d = decide(edf, 0, all(
                ready(1, 0).hint(new Hint.Deadline(10 * MS)),
                ready(2, 0).hint(new Hint.Deadline(5 * MS)),
                ready(3, 0).hint(new Hint.Deadline(7 * MS)),
                ready(4, 0)));
        assertThat(d.runningReady()).containsExactly(2L, 3L);

        DecisionRound free = decide(edf, 0, all(ready(1, 0).hint(new Hint.Deadline(10 * MS)), ready(4, 0), idle(5)));
        assertThat(free.runningReady()).containsExactly(1L, 4L);
        assertThat(free.running()).doesNotContain(5L); // both slots are taken: new work is ranked first
    }

    @Test
    void idleQueuesStayResumedWhileASlotIsFree() {
        KedfPolicy edf = new KedfPolicy(2);
        DecisionRound d = decide(edf, 0, all(ready(1, 0).hint(new Hint.Deadline(MS)), idle(2)));
        assertThat(d.running()).containsExactly(1L, 2L);
    }

    @Test
    void withoutDeadlinesTheOldestReadyQueueRuns() {
        DecisionRound d = decide(new KedfPolicy(1), 9 * MS, all(ready(1, 5 * MS), ready(2, 2 * MS), ready(3, 7 * MS)));
        assertThat(d.runningReady()).containsExactly(2L);
    }

    @Test
    void anAbsoluteDeadlineAppliesToTheCurrentJobOnly() {
        KedfPolicy edf = new KedfPolicy(1);
        edf.onHint(1, new Hint.AbsoluteDeadline(4 * MS), 0);
        DecisionRound first = decide(edf, MS, all(
                ready(1, MS).hint(new Hint.Deadline(100 * MS)),
                ready(2, 0).hint(new Hint.Deadline(6 * MS))));
        assertThat(first.runningReady()).containsExactly(1L);
        // The next job of queue 1 (ready again at 20 ms) falls back to its relative deadline: 120 ms.
        DecisionRound next = decide(edf, 21 * MS, all(
                ready(1, 20 * MS).hint(new Hint.Deadline(100 * MS)),
                ready(2, 19 * MS).hint(new Hint.Deadline(6 * MS))));
        assertThat(next.runningReady()).containsExactly(2L);
    }

    @Test
    void anAbsoluteDeadlineThatPassedBeforeAJobBecameReadyIsNotThatJobs() {
        long minutes = 600_000 * MS;
        // A policy switch ten minutes after queue 1's deadline of 1 ms hands the hint over again;
        // queue 1 is idle then, and its next job must not rank with the old deadline.
        KedfPolicy idle = new KedfPolicy(1);
        idle.onHint(1, new Hint.AbsoluteDeadline(MS), minutes);
        decide(idle, minutes, all(idle(1), ready(2, minutes).hint(new Hint.Deadline(6 * MS))));
        assertThat(decide(idle, minutes + MS, all(
                ready(1, minutes + MS / 2).hint(new Hint.Deadline(100 * MS)),
                ready(2, minutes).hint(new Hint.Deadline(6 * MS)))).runningReady()).containsExactly(2L);
        // The same when queue 1 is busy at the switch with a job that began after the deadline.
        KedfPolicy busy = new KedfPolicy(1);
        busy.onHint(1, new Hint.AbsoluteDeadline(MS), minutes);
        assertThat(decide(busy, minutes, all(
                ready(1, minutes - MS).hint(new Hint.Deadline(100 * MS)),
                ready(2, minutes).hint(new Hint.Deadline(6 * MS)))).runningReady()).containsExactly(2L);
        // A hint given before its deadline to an idle queue binds to the next job even if that job
        // becomes ready after the deadline (submitted late): it is the most overdue, and runs first.
        KedfPolicy late = new KedfPolicy(1);
        late.onHint(1, new Hint.AbsoluteDeadline(3 * MS), MS);
        decide(late, MS, all(idle(1), ready(2, MS).hint(new Hint.Deadline(6 * MS))));
        assertThat(decide(late, 5 * MS, all(
                ready(1, 4 * MS).hint(new Hint.Deadline(100 * MS)),
                ready(2, MS).hint(new Hint.Deadline(6 * MS)))).runningReady()).containsExactly(1L);
        // A job that began before its deadline keeps it once it has passed: it overruns, first.
        KedfPolicy overrun = new KedfPolicy(1);
        overrun.onHint(1, new Hint.AbsoluteDeadline(2 * MS), 5 * MS);
        assertThat(decide(overrun, 5 * MS, all(
                ready(1, 0).hint(new Hint.Deadline(100 * MS)),
                ready(2, 4 * MS).hint(new Hint.Deadline(MS)))).runningReady()).containsExactly(1L);
    }

    @Test
    void aProducerInheritsTheEarliestDeadlineOfItsWaiters() {
        DecisionRound d = decide(new KedfPolicy(1), 0, all(
                ready(1, 0).lenders(3L),
                ready(2, 0).hint(new Hint.Deadline(5 * MS)),
                ready(3, 0).hint(new Hint.Deadline(MS))));
        // 1 and 3 share the earliest deadline (1 ms); 1 is older: it runs, and the scheduler keeps 3 running for it.
        assertThat(d.runningReady()).containsExactly(1L);
    }

    @Test
    void aHugeRelativeDeadlineSaturatesInsteadOfOverflowing() {
        DecisionRound d = decide(new KedfPolicy(1), Long.MAX_VALUE - 5, all(
                ready(1, Long.MAX_VALUE - 10).hint(new Hint.Deadline(Long.MAX_VALUE)),
                ready(2, Long.MAX_VALUE - 10).hint(new Hint.Deadline(1))));
        assertThat(d.runningReady()).containsExactly(2L);
    }

    @Test
    void kAppliesPerDevice() {
        DecisionRound d = decide(new KedfPolicy(1), 0, all(
                ready(1, 0).hint(new Hint.Deadline(MS)), ready(2, 0).hint(new Hint.Deadline(2 * MS)),
                ready(3, 0).hint(new Hint.Deadline(9 * MS)).device(1), ready(4, 0).device(1)));
        assertThat(d.running()).containsExactly(1L, 3L);
    }

    @Test
    void aWinnerThatIsSuspendedWaitsUntilTheLosersWorkInFlightHasCompletedLookingEveryPoll() {
        KedfPolicy edf = new KedfPolicy(1, KedfPolicy.Handover.DRAIN, 20_000);
        // 1 (deadline 100 ms) has a kernel in flight; 2 (deadline 6 ms) just became ready, still suspended.
        DecisionRound draining = decide(edf, MS, all(
                ready(1, 0).hint(new Hint.Deadline(100 * MS)).inFlight(1),
                ready(2, MS).hint(new Hint.Deadline(6 * MS)).suspended()));
        assertThat(draining.suspended(1)).as("the loser stops releasing").isTrue();
        assertThat(draining.suspended(2)).as("the winner is held while the loser's work runs").isTrue();
        assertThat(draining.wakeUps()).containsExactly(MS + 20_000);

        DecisionRound drained = decide(edf, MS + 20_000, all(
                ready(1, 0).hint(new Hint.Deadline(100 * MS)).suspended(),
                ready(2, MS).hint(new Hint.Deadline(6 * MS)).suspended()));
        assertThat(drained.runningReady()).containsExactly(2L);
        assertThat(drained.wakeUps()).isEmpty();
    }

    @Test
    void aWinnerAlreadyRunningKeepsRunningWhileALoserDrainsAndImmediateResumesAtOnce() {
        KedfPolicy drain = new KedfPolicy(1, KedfPolicy.Handover.DRAIN, 20_000);
        DecisionRound running = decide(drain, MS, all(
                ready(1, 0).hint(new Hint.Deadline(100 * MS)).inFlight(1).suspended(),
                ready(2, MS).hint(new Hint.Deadline(6 * MS)).inFlight(2)));
        assertThat(running.runningReady()).containsExactly(2L);

        KedfPolicy immediate = new KedfPolicy(1, KedfPolicy.Handover.IMMEDIATE, 20_000);
        DecisionRound atOnce = decide(immediate, MS, all(
                ready(1, 0).hint(new Hint.Deadline(100 * MS)).inFlight(1),
                ready(2, MS).hint(new Hint.Deadline(6 * MS)).suspended()));
        assertThat(atOnce.runningReady()).containsExactly(2L);
        assertThat(atOnce.wakeUps()).isEmpty();
    }
}
