package dev.xsched.examples.resnet;

import dev.xsched.hip.Device;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** {@link ResNetKernels#forDevice} keeps one module per platform instance, not per platform name. */
class ResNetKernelsCacheTest {
    @Test
    void aSecondSimulatedPlatformGetsItsOwnModuleAndTheSameOneTwice() {
        for (int i = 0; i < 2; i++) {
            try (SimulatedPlatform sim = SimulatedPlatform.builder().build()) {
                Device device = sim.device(0);
                assertThat(ResNetKernels.forDevice(device)).isSameAs(ResNetKernels.forDevice(device));
                try (ResNet model = ResNet.build(device, ResNetArchitecture.RESNET18, 1, 5);
                     Stream stream = device.createStream()) {
                    assertThatCode(() -> model.forwardAndWait(stream)).as("platform instance %d", i).doesNotThrowAnyException();
                }
            }
        }
    }
}
