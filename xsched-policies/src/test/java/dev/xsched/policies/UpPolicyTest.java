package dev.xsched.policies;

import dev.xsched.core.policy.Hint;
import org.junit.jupiter.api.Test;

import static dev.xsched.policies.Decisions.Q.idle;
import static dev.xsched.policies.Decisions.Q.ready;
import static dev.xsched.policies.Decisions.all;
import static dev.xsched.policies.Decisions.decide;
import static org.assertj.core.api.Assertions.assertThat;

class UpPolicyTest {
    private static final long MS = 1_000_000;

    @Test
    void readyQueuesTakeTurnsOfTimesliceTimesTheirShare() {
        UpPolicy up = new UpPolicy(4 * MS, 10);
        var queues = all(ready(1, 0).hint(new Hint.Utilization(75)), ready(2, 0).hint(new Hint.Utilization(25)), idle(3));
        Decisions d = decide(up, 0, queues);
        assertThat(d.running()).containsExactly(1L); // only the owner of the slice, idle queues too are held
        assertThat(d.wakeUps).containsExactly(3 * MS);

        assertThat(decide(up, 2 * MS, queues).running()).containsExactly(1L);
        Decisions second = decide(up, 3 * MS, queues);
        assertThat(second.running()).containsExactly(2L);
        assertThat(second.wakeUps).containsExactly(4 * MS);
        assertThat(decide(up, 4 * MS, queues).running()).containsExactly(1L);
    }

    @Test
    void aQueueWithoutAHintGetsTheDefaultShareAndAQueueTimesliceHintOverridesTheRound() {
        UpPolicy up = new UpPolicy(10 * MS, 10);
        var queues = all(ready(1, 0).hint(new Hint.Utilization(30)), ready(2, 0).hint(new Hint.Timeslice(20 * MS)));
        assertThat(decide(up, 0, queues).wakeUps).containsExactly(7_500_000L); // 10 ms * 30 / 40
        assertThat(decide(up, 7_500_000L, queues).wakeUps).containsExactly(7_500_000L + 5 * MS); // 20 ms * 10 / 40
    }

    @Test
    void anOwnerThatGoesIdleGivesUpTheRestOfItsSlice() {
        UpPolicy up = new UpPolicy(4 * MS, 10);
        decide(up, 0, all(ready(1, 0), ready(2, 0)));
        Decisions d = decide(up, MS, all(idle(1), ready(2, 0)));
        assertThat(d.running()).containsExactly(2L);
        assertThat(d.wakeUps).containsExactly(5 * MS); // alone: the whole round
    }

    @Test
    void withNothingReadyEveryQueueIsResumed() {
        assertThat(decide(new UpPolicy(), 0, all(idle(1), idle(2))).running()).containsExactly(1L, 2L);
    }
}
