package dev.xsched.hip.sim;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.xsched.hip.sim.SimKit.launch;
import static dev.xsched.hip.sim.SimKit.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code Stream.waitUntilEquals} on the simulator: a stream held by a word of device memory, in virtual time. */
class SimMemoryWaitTest {
    private static final Duration MS = Duration.ofMillis(1);

    private final KernelRecorder recorder = new KernelRecorder();
    private final SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(8).devices(2).listener(recorder).build();
    private final Device gpu = sim.device(0);

    @Test
    void aStreamHeldByAWordGoesOnWhenAnotherStreamWritesTheValue() {
        Kernel work = SimKit.work(gpu);
        Stream gated = gpu.createStream();
        Stream writer = gpu.createStream();
        try (DeviceBuffer word = gpu.allocate(4)) {
            writer.memset(word, 1);
            writer.synchronize();
            assertThat(gated.supportsMemoryWait()).isTrue();

            gated.waitUntilEquals(word, 0);
            launch(gated, work, 1, MS, 1);
            launch(writer, work, 1, MS.multipliedBy(3), 2);
            writer.memset(word, 0); // after the 3 ms kernel: the gate opens then
            gated.synchronize();

            KernelRecord held = recorder.kernels().stream().filter(r -> r.blockNanos() == ms(1)).findFirst().orElseThrow();
            assertThat(held.startNanos()).isGreaterThanOrEqualTo(ms(3));
        }
    }

    @Test
    void aWaitAlreadySatisfiedHoldsNothing() {
        Stream stream = gpu.createStream();
        try (DeviceBuffer word = gpu.allocate(8)) {
            stream.memset(word, 0);
            stream.waitUntilEquals(word, 0);
            launch(stream, SimKit.work(gpu), 1, MS, 1);
            stream.synchronize();
            assertThat(recorder.only("work").endNanos() - recorder.only("work").startNanos()).isEqualTo(ms(1));
        }
    }

    @Test
    void aWordNothingWillWriteIsReportedInsteadOfHanging() {
        Stream stream = gpu.createStream();
        try (DeviceBuffer word = gpu.allocate(4)) {
            stream.memset(word, 0);
            stream.waitUntilEquals(word, 7);
            assertThatThrownBy(stream::synchronize).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("to equal 7").hasMessageContaining("nothing queued will write it");
        }
    }

    @Test
    void wordsTooSmallMisalignedClosedOrOfAnotherDeviceAreRefused() {
        Stream stream = gpu.createStream();
        try (DeviceBuffer word = gpu.allocate(16); DeviceBuffer elsewhere = sim.device(1).allocate(4)) {
            assertThatThrownBy(() -> stream.waitUntilEquals(word.slice(0, 2), 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least 4 bytes");
            assertThatThrownBy(() -> stream.waitUntilEquals(word.slice(2, 4), 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("4-byte aligned");
            assertThatThrownBy(() -> stream.waitUntilEquals(elsewhere, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("device 1");
            stream.waitUntilEquals(word.slice(4, 4), 0); // an aligned word inside a buffer is fine
        }
        try (DeviceBuffer closed = gpu.allocate(4)) {
            closed.close();
            assertThatThrownBy(() -> stream.waitUntilEquals(closed, 0)).isInstanceOf(IllegalStateException.class);
        }
        stream.close();
        try (DeviceBuffer word = gpu.allocate(4)) {
            assertThatThrownBy(() -> stream.waitUntilEquals(word, 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }
}
