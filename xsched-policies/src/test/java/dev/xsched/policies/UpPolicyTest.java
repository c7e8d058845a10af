package dev.xsched.policies;

import dev.xsched.core.policy.DecisionRound;
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
        DecisionRound d = decide(up, 0, queues);
        assertThat(d.running()).containsExactly(1L); // only the owner of the slice, idle queues too are held
        assertThat(d.wakeUps()).containsExactly(3 * MS);

        assertThat(decide(up, 2 * MS, queues).running()).containsExactly(1L);
        DecisionRound second = decide(up, 3 * MS, queues);
        assertThat(second.running()).containsExactly(2L);
        assertThat(second.wakeUps()).containsExactly(4 * MS);
        assertThat(decide(up, 4 * MS, queues).running()).containsExactly(1L);
    }

    @Test
    void aQueueWithoutAHintGetsTheDefaultShareAndAQueueTimesliceHintOverridesTheRound() {
        UpPolicy up = new UpPolicy(10 * MS, 10);
        var queues = all(ready(1, 0).hint(new Hint.Utilization(30)), ready(2, 0).hint(new Hint.Timeslice(20 * MS)));
        assertThat(decide(up, 0, queues).wakeUps()).containsExactly(7_500_000L); // 10 ms * 30 / 40
        assertThat(decide(up, 7_500_000L, queues).wakeUps()).containsExactly(7_500_000L + 5 * MS); // 20 ms * 10 / 40
    }

    @Test
    void anOwnerThatGoesIdleGivesUpTheRestOfItsSlice() {
        UpPolicy up = new UpPolicy(4 * MS, 10);
        decide(up, 0, all(ready(1, 0), ready(2, 0)));
        DecisionRound d = decide(up, MS, all(idle(1), ready(2, 0)));
        assertThat(d.running()).containsExactly(2L);
        assertThat(d.wakeUps()).containsExactly(5 * MS); // alone: the whole round
    }

    @Test
    void withNothingReadyEveryQueueIsResumed() {
        assertThat(decide(new UpPolicy(), 0, all(idle(1), idle(2))).running()).containsExactly(1L, 2L);
    }

    @Test
    void theNextSliceStartsWhenThePreviousOwnersInFlightTailHasRunAndTheTailIsChargedToIt() {
        UpPolicy up = new UpPolicy(4 * MS, 10); // 100 polls per timeslice: every 40 us
        DecisionRound first = decide(up, 0, all(ready(1, 0).inFlight(4), ready(2, 0)));
        assertThat(first.running()).containsExactly(1L);
        // At 2 ms queue 1's slice ends with 4 commands in flight: 2 owns the device but its slice waits for the tail.
        DecisionRound switched = decide(up, 2 * MS, all(ready(1, 0).inFlight(4), ready(2, 0)));
        assertThat(switched.running()).containsExactly(2L);
        assertThat(switched.wakeUps()).containsExactly(2 * MS + 40_000); // a poll, not a slice end
        assertThat(decide(up, 2 * MS + 40_000, all(ready(1, 0).inFlight(2), ready(2, 0).inFlight(4))).wakeUps())
                .containsExactly(2 * MS + 80_000);
        // The tail ends at 3 ms: queue 2's 2 ms slice runs from then; queue 1 owes 1 ms.
        DecisionRound tailEnded = decide(up, 3 * MS, all(ready(1, 0), ready(2, 0).inFlight(4)));
        assertThat(tailEnded.wakeUps()).containsExactly(5 * MS);
        // Queue 1's next slice is 2 ms - 1 ms owed; queue 2's 1 ms tail ends at 6 ms and starts it.
        decide(up, 5 * MS, all(ready(1, 0), ready(2, 0).inFlight(4)));
        assertThat(decide(up, 6 * MS, all(ready(1, 0).inFlight(4), ready(2, 0))).wakeUps()).containsExactly(7 * MS);
    }

    @Test
    void aQueueOwingAWholeShareSkipsItsTurn() {
        UpPolicy up = new UpPolicy(4 * MS, 10);
        decide(up, 0, all(ready(1, 0), ready(2, 0)));                       // 1 owns [0, 2 ms)
        decide(up, 2 * MS, all(ready(1, 0).inFlight(4), ready(2, 0)));      // 2 owns; 1 tails
        DecisionRound tailEnded = decide(up, 7 * MS, all(ready(1, 0), ready(2, 0).inFlight(4)));
        assertThat(tailEnded.wakeUps()).containsExactly(9 * MS);              // 1's tail lasted 5 ms: it owes 5 ms
        DecisionRound d = decide(up, 9 * MS, all(ready(1, 0), ready(2, 0)));
        assertThat(d.running()).containsExactly(2L);                         // 1 skips (owes 5 >= share 2, then 3)
        assertThat(d.wakeUps()).containsExactly(11 * MS);
        decide(up, 11 * MS, all(ready(1, 0), ready(2, 0)));                  // skips again (owes 3, then 1)
        assertThat(decide(up, 13 * MS, all(ready(1, 0), ready(2, 0))).running()).containsExactly(1L);
    }

    @Test
    void aQueueThatTakesTheDeviceBackDuringItsOwnTailGetsANormalSliceAndTheOthersTheirTurns() {
        UpPolicy up = new UpPolicy(4 * MS, 10);
        decide(up, 0, all(ready(1, 0), ready(2, 0)));                             // 1 owns [0, 2 ms)
        decide(up, 2 * MS, all(ready(1, 0).inFlight(4), ready(2, 0)));            // 2 owns; 1's tail opens
        // 2 goes idle while 1's tail runs: 1 owns again. Its tail ends here (0.5 ms, owed) and its
        // slice starts: alone it is the whole round less what it owes, 3.5 ms.
        DecisionRound back = decide(up, 2_500_000, all(ready(1, 0).inFlight(4), idle(2)));
        assertThat(back.running()).containsExactly(1L);
        assertThat(back.wakeUps()).containsExactly(6 * MS);
        // 2 is ready again at 3 ms; 1 stays busy (never nothing in flight), yet its slice ends.
        assertThat(decide(up, 3 * MS, all(ready(1, 0).inFlight(4), ready(2, 3 * MS))).running()).containsExactly(1L);
        assertThat(decide(up, 6 * MS, all(ready(1, 0).inFlight(4), ready(2, 3 * MS))).running()).containsExactly(2L);
    }

    @Test
    void aQueueThatTakesTheDeviceBackDuringItsOwnTailAfterTheOwnerClosedGetsANormalSlice() {
        UpPolicy up = new UpPolicy(4 * MS, 10);
        decide(up, 0, all(ready(1, 0), ready(2, 0), ready(3, 0)));
        decide(up, MS + 333_333, all(ready(1, 0).inFlight(4), ready(2, 0), ready(3, 0))); // 2 owns; 1 tails
        up.onQueueRemoved(2);
        DecisionRound back = decide(up, 2 * MS, all(ready(1, 0).inFlight(4), idle(3)));
        assertThat(back.running()).containsExactly(1L);
        assertThat(back.wakeUps()).hasSize(1).allMatch(w -> w > 2 * MS + 40_000); // a slice end, not a poll
        long end = back.wakeUps().iterator().next();
        assertThat(decide(up, end, all(ready(1, 0).inFlight(4), ready(3, 2 * MS))).running()).containsExactly(3L);
    }

    @Test
    void whenTheQueueWhoseTailRunsIsClosedTheOwnersSliceStartsAtTheNextDecision() {
        UpPolicy up = new UpPolicy(4 * MS, 10);
        decide(up, 0, all(ready(1, 0), ready(2, 0)));
        decide(up, 2 * MS, all(ready(1, 0).inFlight(4), ready(2, 0)));            // 2 owns; 1's tail opens
        up.onQueueRemoved(1);
        DecisionRound gone = decide(up, 2 * MS + 40_000, all(ready(2, 0).inFlight(4)));
        assertThat(gone.wakeUps()).containsExactly(4 * MS + 40_000);              // its 2 ms slice starts
    }

    @Test
    void eachDeviceHasItsOwnTurns() {
        DecisionRound d = decide(new UpPolicy(), 0, all(ready(1, 0), ready(2, 0), ready(3, 0).device(1), ready(4, 0).device(1)));
        assertThat(d.running()).containsExactly(1L, 3L);
    }
}
