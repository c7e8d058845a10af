package dev.xsched.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PolicyTimers}: what a round on another thread sees of the scheduling thread's wait. */
class PolicyTimersTest {
    @Test
    void dueWakeUpsAreTakenInOrderAndTheEarliestIsPublished() {
        PolicyTimers timers = new PolicyTimers();
        assertThat(timers.next()).isEqualTo(Long.MAX_VALUE);
        timers.add(List.of(300L, 100L, 200L));
        assertThat(timers.next()).as("not published yet").isEqualTo(Long.MAX_VALUE);
        timers.publish();
        assertThat(timers.next()).isEqualTo(100L);
        assertThat(timers.takeDue(99)).isFalse();
        assertThat(timers.takeDue(200)).isTrue();
        timers.publish();
        assertThat(timers.next()).isEqualTo(300L);
        assertThat(timers.takeDue(1_000)).isTrue();
        timers.publish();
        assertThat(timers.next()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRoundSeesAWaitPastItsEarlierTimerAndNothingElse() {
        PolicyTimers timers = new PolicyTimers();
        assertThat(timers.waitsPastNext()).as("nobody waits").isFalse();
        assertThat(timers.beginWait()).as("waits for events only").isEqualTo(Long.MAX_VALUE);
        assertThat(timers.waitsPastNext()).as("no timer").isFalse();
        timers.add(List.of(500L));
        timers.publish();
        assertThat(timers.waitsPastNext()).as("a timer earlier than the wait").isTrue();
        timers.endWait();
        assertThat(timers.waitsPastNext()).as("the thread no longer waits: it reads the timers before its next wait").isFalse();
        assertThat(timers.beginWait()).isEqualTo(500L);
        assertThat(timers.waitsPastNext()).as("waits for exactly that timer").isFalse();
        timers.add(List.of(400L));
        timers.publish();
        assertThat(timers.waitsPastNext()).isTrue();
        timers.endWait();
    }
}
