package dev.xsched.hip.internal.sim;

import dev.xsched.hip.Device;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Engine behaviour that the public API cannot reach on purpose. */
class SimEngineTest {
    /**
     * Through the API a wait can only name a record submitted before it, so streams cannot
     * deadlock. Should a command ever wait for something that never happens, a blocking call in
     * virtual time must say so instead of hanging: here a stream waits for a record never made.
     */
    @Test
    void aBlockingCallThatCouldNeverReturnThrowsInsteadOfHanging() {
        SimulatedPlatform sim = SimulatedPlatform.builder().build();
        Device gpu = sim.device(0);
        SimStream stream = (SimStream) gpu.createStream();
        Stream other = gpu.createStream();
        EventState neverRecorded = new EventState(0);
        StreamState state = stream.state();
        stream.engine().run(() -> state.commands.addLast(new EventWait(0, state, neverRecorded, 1)));

        assertThatThrownBy(stream::synchronize).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("would wait forever")
                .hasMessageContaining("stream " + stream.id() + " (device 0, priority 0) waits for an event record");
        assertThatThrownBy(gpu::synchronize).isInstanceOf(IllegalStateException.class).hasMessageContaining("would wait forever");
        assertThatThrownBy(() -> sim.virtualClock().runUntilIdle()).isInstanceOf(IllegalStateException.class);
        other.synchronize(); // streams not involved are unaffected
        assertThat(other.isIdle()).isTrue();
    }

    @Test
    void theTimelineTakesEqualTimesInSchedulingOrder() {
        Timeline timeline = new Timeline();
        StringBuilder order = new StringBuilder();
        timeline.schedule(5, () -> order.append('c'));
        timeline.schedule(1, () -> order.append('a'));
        timeline.schedule(5, () -> order.append('d'));
        timeline.schedule(1, () -> order.append('b'));
        assertThat(timeline.hasDueBy(0)).isFalse();
        while (!timeline.isEmpty()) {
            timeline.takeNext().run();
        }
        assertThat(order).hasToString("abcd");
    }
}
