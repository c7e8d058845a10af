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
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.KernelRecord;
import dev.xsched.hip.sim.KernelRecorder;
import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link ResNetKernels#YIELDABLE_POOL_PROPERTY}: off, the pooling kernels have no yieldable
 * variants (as before round 9); on (the default), the model binds {@code max_pool2d_yield} and
 * {@code global_avg_pool_yield} with the plain kernels' grids and arguments, and a forward pass
 * through an XQueue launches them on the simulator, which replays the times the trace recorded
 * for them. (The GPU side: {@code YieldablePoolGpuTest}; their stop and resume:
 * {@code KernelEmulationTest}.)
 */
class YieldablePoolScenarioTest {
    @Test
    void thePoolsGetTheirYieldableTwinsUnlessThePropertyTurnsThemOff() {
        for (String[] names : new String[][]{{ResNetKernels.MAX_POOL, ResNetKernels.MAX_POOL_YIELD},
                {ResNetKernels.GLOBAL_AVG_POOL, ResNetKernels.GLOBAL_AVG_POOL_YIELD}}) {
            assertThat(pool(names[0], "false").yieldKernel()).isNull();
            assertThat(pool(names[0], null).yieldKernel().name()).as("the default").isEqualTo(names[1]);
            KernelLaunch pool = pool(names[0], "true");
            assertThat(pool.yieldKernel().name()).isEqualTo(names[1]);
            assertThat(pool.yieldArgs()).isEqualTo(pool.args());
            assertThat(pool.isSliceable()).as("a pool has no block offset").isFalse();
        }
        assertThatThrownBy(() -> pool(ResNetKernels.MAX_POOL, "yes")).hasMessageContaining(ResNetKernels.YIELDABLE_POOL_PROPERTY)
                .hasMessageContaining("'yes'");
    }

    @Test
    void aForwardPassThroughAnXQueueLaunchesTheTwinsAndReplaysTheirRecordedTimes() {
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
        for (String[] names : new String[][]{{ResNetKernels.MAX_POOL, ResNetKernels.MAX_POOL_YIELD},
                {ResNetKernels.GLOBAL_AVG_POOL, ResNetKernels.GLOBAL_AVG_POOL_YIELD}}) {
            KernelRecord plain = recorder.only(names[0]);
            KernelRecord twin = recorder.only(names[1]);
            assertThat(twin.config()).isEqualTo(plain.config());
            // The TF32 trace of 2026-12-04 recorded the pools' twins (earlier ones replayed the
            // plain kernel's time for them: TraceCostModelTest); each replays its own row.
            assertThat(twin.runNanos()).as("%s replays its own recorded time", names[1])
                    .isCloseTo(recordedNanos(names[1], twin.config()), within((long) twin.config().grid().x()))
                    .isNotEqualTo(plain.runNanos());
        }
    }

    /** The kernel time the committed TF32 trace recorded for {@code kernel} at {@code config}'s grid (ResNet-18's one row). */
    private static long recordedNanos(String kernel, LaunchConfig config) {
        List<String[]> rows = RecordedTrace.choose(ConvPrecision.TF32).orElseThrow().lines().stream()
                .map(l -> l.split(",", -1))
                .filter(r -> r[0].equals(kernel) && r[1].equals(Integer.toString(config.grid().x()))).toList();
        assertThat(rows).as("rows of %s with grid %d", kernel, config.grid().x()).hasSize(1);
        return Math.round(Double.parseDouble(rows.get(0)[7]) * 1000);
    }

    /** ResNet-18's launch of kernel {@code name} on a simulated H200, with the property as given (null: unset). */
    private static KernelLaunch pool(String name, String property) {
        return SystemProperties.restoring(ResNetKernels.YIELDABLE_POOL_PROPERTY, () -> {
            if (property == null) {
                System.clearProperty(ResNetKernels.YIELDABLE_POOL_PROPERTY);
            } else {
                System.setProperty(ResNetKernels.YIELDABLE_POOL_PROPERTY, property);
            }
            try (SimulatedPlatform sim = ScenarioBenchmark.simulatedH200Builder(Optional.empty()).build();
                 ResNet model = ResNet.build(sim.device(0), ResNetArchitecture.RESNET18, 2, 7, ConvPrecision.FP32)) {
                return model.launches().stream().filter(l -> l.kernel().name().equals(name)).findFirst().orElseThrow();
            }
        });
    }
}
