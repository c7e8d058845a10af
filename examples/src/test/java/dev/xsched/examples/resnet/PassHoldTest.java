package dev.xsched.examples.resnet;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.Event;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.VirtualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@link PassHold} and the launch timer's held passes, on the simulated GPU in virtual time, where
 * a host slower than the kernels is a clock advanced before each launch: what the GPU does is then
 * exact, so the timings are compared exactly.
 */
class PassHoldTest {
    /** The host's time to enqueue one launch in the slow host below: longer than most of ResNet-18's simulated kernels. */
    private static final long HOST_NANOS = 200_000;

    @Test
    void aHeldStreamStartsNothingUntilReleased() {
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> {
            try (SimulatedPlatform sim = SimulatedPlatform.builder().build()) {
                Device device = sim.device(0);
                try (Stream stream = device.createStream();
                     Event event = device.createEvent();
                     PassHold hold = PassHold.of(device, stream)) {
                    assertThat(hold.active()).isTrue();
                    for (int pass = 1; pass <= 3; pass++) { // each pass waits for its own number
                        hold.hold();
                        stream.record(event);
                        sim.virtualClock().advanceBy(1_000_000_000L);
                        assertThat(event.isComplete()).as("pass %d, before the release", pass).isFalse();
                        hold.release();
                        stream.synchronize();
                        assertThat(event.isComplete()).as("pass %d, after the release", pass).isTrue();
                    }
                    hold.hold();
                    assertThatThrownBy(hold::hold).isInstanceOf(IllegalStateException.class).hasMessageContaining("held already");
                    stream.record(event);
                } // closing the hold released the stream: closing the stream waited for the event
            }
        }, "a pass stayed held");
    }

    @Test
    void noHoldHoldsNothing() {
        try (PassHold none = PassHold.none()) {
            assertThat(none.active()).isFalse();
            none.hold();
            none.hold();
            none.release();
        }
    }

    /**
     * The recorder's defect on the H200 (ResNet-18's 23 launches adding up to twice its pass):
     * with the host slower than a kernel, an unheld pass times each launch with the host's time
     * to enqueue it inside; a held one times each kernel as a host that costs nothing would.
     */
    @Test
    void aHeldPassTimesEachKernelAloneHoweverSlowlyTheHostEnqueuesIt() {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            // blocks of 10 us: kernels of a wave or a few, shorter than the host's 200 us per launch
            try (SimulatedPlatform sim = SimulatedPlatform.builder().defaultBlockDuration(Duration.ofNanos(10_000)).build()) {
                Device device = sim.device(0);
                VirtualClock clock = sim.virtualClock();
                BiConsumer<KernelLaunch, CommandQueue> slowHost = (launch, queue) -> {
                    clock.advanceBy(HOST_NANOS);
                    launch.enqueue(queue);
                };
                try (ResNet model = ResNet.build(device, ResNetArchitecture.RESNET18, 1, 3);
                     Stream stream = device.createStream()) {
                    int n = model.launches().size();
                    double[] own;
                    double[] unheld;
                    try (LaunchTimer timer = new LaunchTimer(device, model, stream, PassHold.none())) {
                        assertThat(timer.holdsPassesOf(n)).isFalse();
                        own = timer.medianLaunchMicros(2);
                        unheld = timer.medianLaunchMicros(2, slowHost);
                    }
                    double[] held;
                    try (LaunchTimer timer = new LaunchTimer(device, model, stream)) {
                        assertThat(timer.holdsPassesOf(n)).as("ResNet-18's %d launches", n).isTrue();
                        held = timer.medianLaunchMicros(2, slowHost);
                    }
                    for (int i = 0; i < n; i++) {
                        String launch = model.launches().get(i).plan().layer();
                        assertThat(held[i]).as("%s held", launch).isCloseTo(own[i], within(1e-6));
                        assertThat(unheld[i]).as("%s unheld", launch).isGreaterThanOrEqualTo(own[i] - 1e-6);
                    }
                    assertThat(Arrays.stream(unheld).sum())
                            .isGreaterThan(Arrays.stream(own).sum() + (n - 1) * 0.9 * HOST_NANOS / 1e3);
                }
            }
        }, "a timed pass hung");
    }

    @Test
    void passesLongerThanTheHoldsBoundRunUnheld() {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().build()) {
            Device device = sim.device(0);
            try (ResNet model = ResNet.build(device, ResNetArchitecture.RESNET18, 1, 3);
                 Stream stream = device.createStream();
                 LaunchTimer timer = new LaunchTimer(device, model, stream)) {
                int most = PassHold.MAX_HELD_COMMANDS / LaunchTimer.COMMANDS_PER_LAUNCH;
                assertThat(timer.holdsPassesOf(most)).isTrue();
                assertThat(timer.holdsPassesOf(most + 1)).isFalse();
            }
        }
    }
}
