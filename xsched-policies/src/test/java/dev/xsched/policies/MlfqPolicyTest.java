package dev.xsched.policies;

import dev.xsched.core.policy.DecisionRound;
import org.junit.jupiter.api.Test;

import static dev.xsched.policies.Decisions.Q.idle;
import static dev.xsched.policies.Decisions.Q.ready;
import static dev.xsched.policies.Decisions.all;
import static dev.xsched.policies.Decisions.decide;
import static org.assertj.core.api.Assertions.assertThat;

class MlfqPolicyTest {
    private static final long MS = 1_000_000;

    @Test
    void aQueueThatUsesItsWholeSliceDropsALevelAndANewQueuePreemptsIt() {
        MlfqPolicy mlfq = new MlfqPolicy(4, 10 * MS, 1_000 * MS);
        DecisionRound d = decide(mlfq, 0, all(ready(1, 0), idle(2)));
        assertThat(d.running()).containsExactly(1L);
        assertThat(d.wakeUps()).contains(10 * MS);
        decide(mlfq, 10 * MS, all(ready(1, 0), idle(2)));
        assertThat(mlfq.level(1)).isEqualTo(1);
        decide(mlfq, 30 * MS, all(ready(1, 0), idle(2)));
        assertThat(mlfq.level(1)).isEqualTo(2);
        // Work arrives on queue 2: level 0 beats level 2.
        DecisionRound preempt = decide(mlfq, 31 * MS, all(ready(1, 0), ready(2, 31 * MS)));
        assertThat(preempt.running()).containsExactly(2L);
    }

    @Test
    void theBottomLevelKeepsAQueueAndSlicesDouble() {
        MlfqPolicy mlfq = new MlfqPolicy(3, MS, 1_000 * MS);
        long t = 0;
        for (long slice : new long[] {MS, 2 * MS, 4 * MS, 4 * MS}) {
            decide(mlfq, t, all(ready(1, 0)));
            t += slice;
        }
        decide(mlfq, t, all(ready(1, 0)));
        assertThat(mlfq.level(1)).isEqualTo(2);
    }

    @Test
    void roundRobinWithinALevel() {
        MlfqPolicy mlfq = new MlfqPolicy(1, MS, 1_000 * MS);
        var queues = all(ready(1, 0), ready(2, 0), ready(3, 0));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            order.append(decide(mlfq, i * MS, queues).running().iterator().next());
        }
        assertThat(order).hasToString("123123");
    }

    @Test
    void usageAccumulatesAcrossBusyPeriodsSoGoingIdleDoesNotKeepLevelZero() {
        MlfqPolicy mlfq = new MlfqPolicy(4, 10 * MS, 1_000 * MS);
        long t = 0;
        for (int job = 0; job < 3; job++) {
            decide(mlfq, t, all(ready(1, t)));
            t += 4 * MS;                        // 4 ms of work, then idle
            decide(mlfq, t, all(idle(1)));
            t += MS;
        }
        assertThat(mlfq.level(1)).isEqualTo(1); // 12 ms used at level 0
    }

    @Test
    void aBoostReturnsEveryQueueToLevelZero() {
        MlfqPolicy mlfq = new MlfqPolicy(4, MS, 100 * MS);
        for (long t = 0; t < 50 * MS; t += MS) {
            decide(mlfq, t, all(ready(1, 0)));
        }
        assertThat(mlfq.level(1)).isEqualTo(3);
        DecisionRound d = decide(mlfq, 100 * MS, all(ready(1, 0)));
        assertThat(mlfq.level(1)).isZero();
        assertThat(d.wakeUps()).contains(101 * MS);
    }

    @Test
    void eachDeviceHasItsOwnRunner() {
        DecisionRound d = decide(new MlfqPolicy(), 0, all(ready(1, 0), ready(2, 0), ready(3, 0).device(1), ready(4, 0).device(1)));
        assertThat(d.running()).containsExactly(1L, 3L);
    }
}
