package dev.xsched.policies;

import dev.xsched.core.policy.DecisionRound;
import dev.xsched.core.policy.Hint;
import org.junit.jupiter.api.Test;

import static dev.xsched.policies.Decisions.Q.idle;
import static dev.xsched.policies.Decisions.Q.ready;
import static dev.xsched.policies.Decisions.all;
import static dev.xsched.policies.Decisions.decide;
import static org.assertj.core.api.Assertions.assertThat;

class HpfPolicyTest {
    private final HpfPolicy hpf = new HpfPolicy();

    @Test
    void theReadyQueuesOfTheHighestPriorityRunTogetherAndLowerOnesAreSuspended() {
        DecisionRound d = decide(hpf, 0, all(
                ready(1, 0).hint(new Hint.Priority(5)),
                ready(2, 0).hint(new Hint.Priority(5)),
                ready(3, 0).hint(new Hint.Priority(-3)),
                ready(4, 0))); // no hint: 0
        assertThat(d.running()).containsExactly(1L, 2L);
    }

    @Test
    void idleQueuesBelowTheRunningPriorityAreSuspendedThoseAtOrAboveStayResumed() {
        DecisionRound d = decide(hpf, 0, all(
                ready(1, 0).hint(new Hint.Priority(0)),
                idle(2).hint(new Hint.Priority(-1)),
                idle(3).hint(new Hint.Priority(0)),
                idle(4).hint(new Hint.Priority(9))));
        assertThat(d.running()).containsExactly(1L, 3L, 4L);
    }

    @Test
    void withNothingReadyEveryQueueRuns() {
        DecisionRound d = decide(hpf, 0, all(idle(1).hint(new Hint.Priority(-200)), idle(2).hint(new Hint.Priority(200))));
        assertThat(d.running()).containsExactly(1L, 2L);
    }

    @Test
    void aProducerRunsWithThePriorityOfTheQueuesBlockedOnIt() {
        // 3 (priority 10) waits for an event of 1 (priority -10); 2 sits in the middle at 0.
        DecisionRound d = decide(hpf, 0, all(
                ready(1, 0).hint(new Hint.Priority(-10)).lenders(3L),
                ready(2, 0).hint(new Hint.Priority(0)),
                ready(3, 0).hint(new Hint.Priority(10))));
        assertThat(d.running()).containsExactly(1L, 3L);
    }

    @Test
    void lendingIsTransitive() {
        // 4 (9) waits for 3 (-5), which waits for 1 (-9).
        DecisionRound d = decide(hpf, 0, all(
                ready(1, 0).hint(new Hint.Priority(-9)).lenders(3L),
                ready(2, 0).hint(new Hint.Priority(1)),
                ready(3, 0).hint(new Hint.Priority(-5)).lenders(4L),
                ready(4, 0).hint(new Hint.Priority(9))));
        assertThat(d.running()).containsExactly(1L, 3L, 4L);
    }

    @Test
    void devicesAreScheduledIndependently() {
        DecisionRound d = decide(hpf, 0, all(
                ready(1, 0).hint(new Hint.Priority(9)).device(0),
                ready(2, 0).hint(new Hint.Priority(1)).device(0),
                ready(3, 0).hint(new Hint.Priority(-9)).device(1),
                idle(4).hint(new Hint.Priority(-20)).device(1)));
        assertThat(d.running()).containsExactly(1L, 3L);
    }
}
