package dev.xsched.examples.resnet;

import dev.xsched.hip.Device;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code RunResNet --compare-yield --layers} without its real-GPU check: the three ways and the
 * per-launch table on the simulated platform (which honours the yieldable convention, so a block
 * that stopped with the flag down would show). It says nothing about speed.
 */
class YieldOverheadSimTest {
    @Test
    void runsThePlainTheNeverRaisedAndTheXQueueWaysAndEveryLaunchBothWays() {
        var bytes = new ByteArrayOutputStream();
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            try (SimulatedPlatform sim = SimulatedPlatform.builder().build()) {
                Device device = sim.device(0);
                try (ResNet model = ResNet.build(device, ResNetArchitecture.RESNET18, 1, 3);
                     Stream stream = device.createStream()) {
                    YieldOverhead.compare(device, model, stream, 2, 2, true,
                            new PrintStream(bytes, true, StandardCharsets.UTF_8));
                }
            }
        }, "the comparison hung");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("2 rounds of 2 iterations each way").contains("  round 1:").contains("  round 2:")
                .contains("plain kernels, stream").contains("yieldable, flag never raised, stream")
                .contains("yieldable, XQueue never suspended (threshold 2, batch 1)")
                .contains("yieldable blocks that stopped: none, as expected; XQueue launches yielded: 0")
                .contains("conv1 ").contains("layer4.1.conv2").contains("sum of launches: plain ")
                .contains("launches timed in passes held until the host had enqueued them");
        assertThat(out.lines().filter(l -> l.contains("% of plain"))).hasSize(3);
    }
}
