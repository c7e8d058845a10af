package dev.xsched.policies;

import dev.xsched.core.policy.DecisionRound;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.QueueStatus;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.xsched.policies.Decisions.Q.idle;
import static dev.xsched.policies.Decisions.Q.ready;
import static dev.xsched.policies.Decisions.all;
import static dev.xsched.policies.Decisions.decide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CfsPolicyTest {
    private static final long MS = 1_000_000;

    /** Runs decisions every slice for {@code rounds} slices; returns the time each queue held the slice. */
    private static Map<Long, Long> share(CfsPolicy cfs, QueueStatus[] queues, int rounds, long slice) {
        Map<Long, Long> held = new HashMap<>();
        for (int i = 0; i < rounds; i++) {
            long runner = decide(cfs, i * slice, queues).runningReady().iterator().next();
            held.merge(runner, slice, Long::sum);
        }
        return held;
    }

    @Test
    void equalWeightsAlternate() {
        CfsPolicy cfs = new CfsPolicy(MS);
        Map<Long, Long> held = share(cfs, all(ready(1, 0), ready(2, 0)), 100, MS);
        assertThat(held.get(1L)).isEqualTo(held.get(2L));
    }

    @Test
    void weightsTwoToOneGiveTwoToOne() {
        CfsPolicy cfs = new CfsPolicy(MS);
        Map<Long, Long> held = share(cfs, all(ready(1, 0).hint(new Hint.Weight(2048)), ready(2, 0).hint(new Hint.Weight(1024))), 300, MS);
        assertThat((double) held.get(1L) / held.get(2L)).isCloseTo(2.0, within(0.05));
    }

    @Test
    void priorityMapsToWeight1024Times1Point2ToThePriority() {
        assertThat(CfsPolicy.weight(ready(1, 0).build())).isEqualTo(1024.0);
        assertThat(CfsPolicy.weight(ready(1, 0).hint(new Hint.Priority(2)).build())).isCloseTo(1024 * 1.44, within(1e-9));
        assertThat(CfsPolicy.weight(ready(1, 0).hint(new Hint.Priority(2)).hint(new Hint.Weight(7)).build())).isEqualTo(7.0);
    }

    @Test
    void aPriorityWeightStaysWithinHintWeightsRange() {
        assertThat(CfsPolicy.weight(ready(1, 0).hint(new Hint.Priority(12)).build())).isCloseTo(1024 * Math.pow(1.2, 12), within(1e-6));
        assertThat(CfsPolicy.weight(ready(1, 0).hint(new Hint.Priority(13)).build())).isEqualTo(10_000.0);
        assertThat(CfsPolicy.weight(ready(1, 0).hint(new Hint.Priority(255)).build())).isEqualTo(10_000.0);
        assertThat(CfsPolicy.weight(ready(1, 0).hint(new Hint.Priority(-38)).build())).isGreaterThan(1.0);
        assertThat(CfsPolicy.weight(ready(1, 0).hint(new Hint.Priority(-39)).build())).isEqualTo(1.0);
        assertThat(CfsPolicy.weight(ready(1, 0).hint(new Hint.Priority(-255)).build())).isEqualTo(1.0);
    }

    @Test
    void theHighestPriorityDoesNotStarveAQueueWithoutAHint() {
        CfsPolicy cfs = new CfsPolicy(5 * MS);
        decide(cfs, 0, all(ready(1, 0), idle(2)));                        // 1 runs a 5 ms slice alone
        // 2 (priority 255) joins at 1's virtual runtime. Weighing 1.6e23, its virtual runtime
        // grew by 3e-14 per slice, less than a double adds to 5e6: it never moved, 1 never ran again.
        var queues = all(ready(1, 0), ready(2, 5 * MS).hint(new Hint.Priority(255)));
        Map<Long, Long> held = new HashMap<>();
        for (int i = 1; i <= 1100; i++) {
            held.merge(decide(cfs, i * 5 * MS, queues).runningReady().iterator().next(), 1L, Long::sum);
        }
        assertThat(held.get(1L)).isBetween(95L, 110L); // 1024 / (1024 + 10000) of 1100 slices: 102
    }

    @Test
    void theLowestPriorityStillGetsItsShare() {
        CfsPolicy cfs = new CfsPolicy(MS);
        // Weighing 6.6e-18, one slice put queue 2 1.5e23 ns of virtual runtime behind: never again.
        Map<Long, Long> held = share(cfs, all(ready(1, 0), ready(2, 0).hint(new Hint.Priority(-255))), 5 * 1025, MS);
        assertThat(held.get(2L)).isEqualTo(5 * MS); // one slice in 1025: weight 1 against 1024
    }

    @Test
    void aQueueThatWakesUpDoesNotMonopoliseTheDevice() {
        CfsPolicy cfs = new CfsPolicy(MS);
        // Queue 1 runs alone for 100 ms.
        for (int i = 0; i <= 100; i++) {
            decide(cfs, i * MS, all(ready(1, 0), idle(2)));
        }
        // Queue 2 wakes: it starts at queue 1's virtual runtime, so they alternate from here on.
        Map<Long, Long> held = new HashMap<>();
        for (int i = 100; i < 120; i++) {
            long runner = decide(cfs, i * MS, all(ready(1, 0), ready(2, 100 * MS))).runningReady().iterator().next();
            held.merge(runner, 1L, Long::sum);
        }
        assertThat(held).containsEntry(1L, 10L).containsEntry(2L, 10L);
    }

    @Test
    void theRunnerKeepsItsSliceAndAsksToBeWokenAtItsEnd() {
        CfsPolicy cfs = new CfsPolicy(5 * MS);
        var queues = all(ready(1, 0), ready(2, 0));
        DecisionRound first = decide(cfs, 0, queues);
        assertThat(first.running()).containsExactly(1L);
        assertThat(first.wakeUps()).containsExactly(5 * MS);
        assertThat(decide(cfs, 3 * MS, queues).running()).containsExactly(1L); // any event mid-slice changes nothing
        assertThat(decide(cfs, 5 * MS, queues).running()).containsExactly(2L);
    }

    @Test
    void withNothingReadyEveryQueueIsResumed() {
        assertThat(decide(new CfsPolicy(), 0, all(idle(1), idle(2))).running()).containsExactly(1L, 2L);
    }

    @Test
    void theInFlightTailOfThePreviousRunnerIsChargedToItAndDelaysTheNextSlice() {
        CfsPolicy cfs = new CfsPolicy(5 * MS); // polls every 100 us while a tail runs
        decide(cfs, 0, all(ready(1, 0), ready(2, 0)));
        DecisionRound switched = decide(cfs, 5 * MS, all(ready(1, 0).inFlight(4), ready(2, 0)));
        assertThat(switched.running()).containsExactly(2L);
        assertThat(switched.wakeUps()).containsExactly(5 * MS + 100_000);
        DecisionRound drained = decide(cfs, 6 * MS, all(ready(1, 0), ready(2, 0).inFlight(4)));
        assertThat(drained.wakeUps()).containsExactly(11 * MS); // 2's slice starts when 1's tail ended
        assertThat(cfs.vruntime(1)).isEqualTo(6.0 * MS);      // 5 ms slice + 1 ms tail
        assertThat(cfs.vruntime(2)).isZero();
    }

    @Test
    void aQueueThatWinsBackTheDeviceDuringItsOwnTailGetsANormalSliceAndTheOthersTheirTurns() {
        CfsPolicy cfs = new CfsPolicy(4 * MS);
        decide(cfs, 0, all(ready(1, 0), ready(2, 0)));                           // 1 runs [0, 4 ms)
        decide(cfs, 4 * MS, all(ready(1, 0).inFlight(4), ready(2, 0)));          // 2 runs; 1's tail opens
        // 2 goes idle while 1's tail runs: 1 wins again, its tail ends here and its slice starts.
        DecisionRound back = decide(cfs, 4_500_000, all(ready(1, 0).inFlight(4), idle(2)));
        assertThat(back.running()).containsExactly(1L);
        assertThat(back.wakeUps()).containsExactly(8_500_000L);
        // 2 is ready again at 5 ms; 1 stays busy (never nothing in flight), yet its slice ends.
        var both = all(ready(1, 0).inFlight(4), ready(2, 5 * MS));
        assertThat(decide(cfs, 5 * MS, both).running()).containsExactly(1L);
        assertThat(decide(cfs, 8_500_000, both).running()).containsExactly(2L);
        assertThat(cfs.vruntime(1)).isEqualTo(8.5 * MS); // its slices and its tail, all charged to it
    }

    @Test
    void whenTheQueueWhoseTailRunsIsClosedTheRunnersSliceStartsAtTheNextDecision() {
        CfsPolicy cfs = new CfsPolicy(4 * MS);
        decide(cfs, 0, all(ready(1, 0), ready(2, 0)));
        decide(cfs, 4 * MS, all(ready(1, 0).inFlight(4), ready(2, 0)));          // 2 runs; 1's tail opens
        cfs.onQueueRemoved(1);
        DecisionRound gone = decide(cfs, 4 * MS + 80_000, all(ready(2, 0).inFlight(4), ready(3, 4 * MS + 80_000)));
        assertThat(gone.running()).containsExactly(2L);
        assertThat(gone.wakeUps()).containsExactly(8 * MS + 80_000);
        assertThat(decide(cfs, 8 * MS + 80_000, all(ready(2, 0).inFlight(4), ready(3, 4 * MS + 80_000))).running())
                .containsExactly(3L);
    }

    @Test
    void eachDeviceHasItsOwnRunner() {
        DecisionRound d = decide(new CfsPolicy(), 0, all(ready(1, 0), ready(2, 0), ready(3, 0).device(1), ready(4, 0).device(1)));
        assertThat(d.running()).containsExactly(1L, 3L);
    }
}
