package dev.xsched.examples.resnet;

import dev.xsched.hip.Dim3;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.YieldableKernels;
import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PersistentGrid}: the grid it launches, the twins it knows, and that a simulated device
 * never gets one. (The kernels' stop and resume: {@code KernelEmulationTest}; on the GPU:
 * {@code YieldStopGpuTest}, {@code ResNetGpuTest}.)
 */
class PersistentGridTest {
    @Test
    void theGridIsTheResidentBlocksOrTheLogicalGridWhenThatIsSmaller() {
        LaunchConfig tiles = LaunchConfig.of(25_088, 256).withSharedMemory(64);
        LaunchConfig persistent = PersistentGrid.config(tiles, 132, 2);
        assertThat(persistent.grid()).isEqualTo(Dim3.of(264));
        assertThat(persistent.block()).isEqualTo(tiles.block());
        assertThat(persistent.sharedMemoryBytes()).isEqualTo(64);
        assertThat(PersistentGrid.config(LaunchConfig.of(200, 256), 132, 2)).as("fewer tiles than fit")
                .isEqualTo(LaunchConfig.of(200, 256));
        assertThat(PersistentGrid.config(LaunchConfig.of(264, 256), 132, 2)).isEqualTo(LaunchConfig.of(264, 256));
    }

    @Test
    void badGridsAndCountsAreRefused() {
        assertThatThrownBy(() -> PersistentGrid.config(LaunchConfig.of(Dim3.of(10, 2), Dim3.of(256)), 132, 2))
                .hasMessageContaining("one-dimensional");
        assertThatThrownBy(() -> PersistentGrid.config(LaunchConfig.of(10, 256), 0, 2)).hasMessageContaining("computeUnits");
        assertThatThrownBy(() -> PersistentGrid.config(LaunchConfig.of(10, 256), 132, 0)).hasMessageContaining("blocksPerUnit");
    }

    @Test
    void theTf32ConvolutionsAndTheMaxPoolHaveTwinsWithTheirLaunchBoundsResidency() {
        assertThat(PersistentGrid.twinOf("conv2d_tf32_128x128")).contains(new PersistentGrid.Twin("conv2d_tf32_128x128_persist", 2));
        assertThat(PersistentGrid.twinOf("conv2d_tf32_64x128")).contains(new PersistentGrid.Twin("conv2d_tf32_64x128_persist", 2));
        assertThat(PersistentGrid.twinOf("conv2d_tf32_64x64")).contains(new PersistentGrid.Twin("conv2d_tf32_64x64_persist", 3));
        assertThat(PersistentGrid.twinOf(ResNetKernels.MAX_POOL)).contains(new PersistentGrid.Twin(ResNetKernels.MAX_POOL_PERSIST, 8));
        assertThat(PersistentGrid.twinOf("conv2d_igemm_128x128")).as("FP32 keeps one tile per block").isEmpty();
        assertThat(PersistentGrid.twinOf(ResNetKernels.GLOBAL_AVG_POOL)).isEmpty();
        for (String plain : List.of("conv2d_tf32_128x128", "conv2d_tf32_64x128", "conv2d_tf32_64x64",
                ResNetKernels.MAX_POOL)) {
            String twin = PersistentGrid.twinOf(plain).orElseThrow().kernel();
            assertThat(ResNetKernels.SIGNATURES).as("a twin the source defines").containsKey(twin);
            List<ParamType> yieldable = ResNetKernels.SIGNATURES.get(plain + "_yield");
            List<ParamType> withCounter = new ArrayList<>(yieldable);
            withCounter.add(yieldable.size() - YieldableKernels.CONTROL_PARAMETERS, ParamType.POINTER);
            assertThat(ResNetKernels.SIGNATURES.get(twin)).as("the yieldable kernel's parameters, the tile counter before the control pointers")
                    .isEqualTo(withCounter);
        }
    }

    @Test
    void theSimulatorNeverGetsPersistentGridsEvenWhenAskedFor() {
        assertThat(PersistentGrid.used(true, false)).isTrue();
        assertThat(PersistentGrid.used(true, true)).as("simulated").isFalse();
        assertThat(PersistentGrid.used(false, false)).isFalse();
        try (SimulatedPlatform sim = SimulatedPlatform.builder().build();
             ResNet model = ResNet.build(sim.device(0), ResNetArchitecture.RESNET50, 8, 1, ConvPrecision.TF32, true)) {
            assertThat(model.launches()).allSatisfy(l -> {
                if (l.yieldKernel() != null) {
                    assertThat(l.yieldKernel().name()).doesNotEndWith("_persist");
                    assertThat(l.yieldConfig()).isEqualTo(l.plan().config());
                }
            });
        }
    }

    @Test
    void thePropertyIsOffByDefaultAndReadStrictly() {
        SystemProperties.restoring(PersistentGrid.PROPERTY, () -> {
            System.clearProperty(PersistentGrid.PROPERTY);
            assertThat(PersistentGrid.requested()).as("off by default").isFalse();
            System.setProperty(PersistentGrid.PROPERTY, "true");
            assertThat(PersistentGrid.requested()).isTrue();
            System.setProperty(PersistentGrid.PROPERTY, "yes");
            assertThatThrownBy(PersistentGrid::requested).hasMessageContaining(PersistentGrid.PROPERTY).hasMessageContaining("'yes'");
        });
    }
}
