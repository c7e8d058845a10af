package dev.xsched.examples.scenario;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.examples.resnet.ConvPrecision;
import dev.xsched.examples.resnet.KernelLaunch;
import dev.xsched.examples.resnet.ResNet;
import dev.xsched.examples.resnet.ResNetArchitecture;
import dev.xsched.examples.resnet.ResNetKernels;
import dev.xsched.examples.resnet.SystemProperties;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.KernelRecord;
import dev.xsched.hip.sim.KernelRecorder;
import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ResNetKernels#YIELDABLE_POOL_PROPERTY}: off, the max pool has no yieldable variant (as
 * before); on, the model binds {@code max_pool2d_yield} with the plain kernel's grid and
 * arguments, and a forward pass through an XQueue launches it on the simulator, which replays
 * the plain pool's recorded time for it. (The GPU side:
 * {@code YieldablePoolGpuTest}; the kernel's stop and resume: {@code KernelEmulationTest}.)
 */
class YieldablePoolScenarioTest {
    @Test
    void theMaxPoolGetsItsYieldableTwinOnlyWhenThePropertySaysSo() {
        assertThat(maxPool(null).yieldKernel()).isNull();
        assertThat(maxPool("false").yieldKernel()).isNull();
        KernelLaunch pool = maxPool("true");
        assertThat(pool.yieldKernel().name()).isEqualTo(ResNetKernels.MAX_POOL_YIELD);
        assertThat(pool.yieldArgs()).isEqualTo(pool.args());
        assertThat(pool.isSliceable()).as("the max pool has no block offset").isFalse();
        assertThatThrownBy(() -> maxPool("yes")).hasMessageContaining(ResNetKernels.YIELDABLE_POOL_PROPERTY)
                .hasMessageContaining("'yes'");
    }

    @Test
    void aForwardPassThroughAnXQueueLaunchesTheTwinAndReplaysThePlainPoolsTime() {
        KernelRecorder recorder = new KernelRecorder();
        SystemProperties.restoring(ResNetKernels.YIELDABLE_POOL_PROPERTY, () -> {
            System.setProperty(ResNetKernels.YIELDABLE_POOL_PROPERTY, "true");
            try (SimulatedPlatform sim = ScenarioBenchmark.simulatedH200Builder(RecordedTrace.choose(null))
                         .virtualTime().listener(recorder).build();
                 ResNet model = ResNet.build(sim.device(0), ResNetArchitecture.RESNET18, 1, 7, ConvPrecision.TF32);
                 Stream stream = sim.device(0).createStream();
                 XScheduler scheduler = XScheduler.builder().name("pool-test").jmx(false).policy("hpf").build()) {
                model.forward(stream);
                stream.synchronize();
                XQueue queue = scheduler.createQueue(sim.device(0), XQueueConfig.defaults("lp"));
                model.forwardYieldable(queue);
                queue.synchronize();
                queue.close();
            }
        });
        KernelRecord plain = recorder.only(ResNetKernels.MAX_POOL);
        KernelRecord twin = recorder.only(ResNetKernels.MAX_POOL_YIELD);
        assertThat(twin.config()).isEqualTo(plain.config());
        assertThat(twin.runNanos()).as("the untraced twin replays the plain pool's recorded time").isEqualTo(plain.runNanos());
    }

    /** ResNet-18's max pool launch on a simulated H200, with the property as given (null: unset). */
    private static KernelLaunch maxPool(String property) {
        return SystemProperties.restoring(ResNetKernels.YIELDABLE_POOL_PROPERTY, () -> {
            if (property == null) {
                System.clearProperty(ResNetKernels.YIELDABLE_POOL_PROPERTY);
            } else {
                System.setProperty(ResNetKernels.YIELDABLE_POOL_PROPERTY, property);
            }
            try (SimulatedPlatform sim = ScenarioBenchmark.simulatedH200Builder(Optional.empty()).build();
                 ResNet model = ResNet.build(sim.device(0), ResNetArchitecture.RESNET18, 2, 7, ConvPrecision.FP32)) {
                return model.launches().stream().filter(l -> l.kernel().name().equals(ResNetKernels.MAX_POOL))
                        .findFirst().orElseThrow();
            }
        });
    }
}
