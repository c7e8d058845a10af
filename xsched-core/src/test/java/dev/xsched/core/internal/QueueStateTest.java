package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.hip.HipException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a failure and a drop do to a queue's accepted commands, on the shared state alone: the
 * buffered ones are counted as dropped, and waits that include them end and say why.
 */
class QueueStateTest {
    private final QueueState state = new QueueState(XQueueConfig.defaults("q"), new FakeGpu(), () -> 0, () -> { });

    /** Accepts commands {@code from..to} into the buffer, as a submission does. */
    private void accept(long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            state.buffer.addLast(new Command.Memset(seq, 0, null, 0));
        }
        state.submittedSeq = to;
    }

    @Test
    void droppingTheBufferCountsItsCommandsAndFailsWaitsThatIncludeThem() {
        accept(1, 5);
        state.launchedSeq = 2;
        state.completedSeq = 2;
        state.buffer.pollFirst();
        state.buffer.pollFirst();

        state.dropBuffered();

        assertThat(state.buffer).isEmpty();
        assertThat(state.dropped).isEqualTo(3);
        assertThat(state.life.completed(2, state.completedSeq)).as("what ran before is complete").isTrue();
        assertThat(state.life.settled(5, state.completedSeq)).as("a wait for a dropped command ends").isTrue();
        assertThatThrownBy(() -> state.life.checkCompleted(3, state.completedSeq))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("XQueue q was closed with DROP: command 3");
    }

    @Test
    void aFailureWhileIssuingDropsThatCommandAndTheBufferAndIsThrownToWaitersNamingTheCommand() {
        accept(1, 4);
        Command issuing = state.buffer.pollFirst();

        state.fail(issuing, new HipException(700, "hipErrorIllegalAddress", "an illegal memory access", "hipMemsetAsync"));

        assertThat(state.buffer).isEmpty();
        assertThat(state.dropped).as("the command being issued and the three behind it").isEqualTo(4);
        assertThat(state.life.hasFailed()).isTrue();
        assertThat(state.life.settled(1, state.completedSeq)).isTrue();
        assertThatThrownBy(() -> state.life.checkCompleted(1, state.completedSeq))
                .isInstanceOfSatisfying(HipException.class, e -> {
                    assertThat(e.code()).isEqualTo(700);
                    assertThat(e.call()).isEqualTo("XQueue q memset: hipMemsetAsync");
                });
        assertThat(state.life.takeUnreportedFailure()).as("reported once").isNull();
    }

    @Test
    void onlyTheFirstFailureCounts() {
        accept(1, 1);
        state.fail(null, new IllegalStateException("first"));
        state.fail(null, new IllegalStateException("second"));

        assertThat(state.life.takeUnreportedFailure()).hasMessage("XQueue q failed").hasRootCauseMessage("first");
        assertThat(state.dropped).isEqualTo(1);
    }

    @Test
    void aQueueHoldsNothingOnlyWithNoCommandBufferedBeingIssuedOrInFlight() {
        assertThat(state.holdsNothing()).isTrue();

        accept(1, 1);
        assertThat(state.holdsNothing()).as("buffered").isFalse();

        state.buffer.pollFirst();
        state.issuing = 1;
        assertThat(state.holdsNothing()).as("taken from the buffer, being issued").isFalse();

        state.issuing = 0;
        state.launchedSeq = 1;
        assertThat(state.holdsNothing()).as("in flight").isFalse();

        state.completedSeq = 1;
        assertThat(state.holdsNothing()).isTrue();
    }
}
