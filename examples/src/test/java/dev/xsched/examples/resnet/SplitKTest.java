package dev.xsched.examples.resnet;

import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.TraceCostModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

class SplitKTest {
    private static final int H200_SMS = 132;

    @Test
    void resnet18AtBatch1SplitsTheLayersOfFewTilesToFillTheGpuOnce() {
        List<PlannedLaunch> plan = PlannedLaunch.plan(ResNetArchitecture.RESNET18.network(), 1, H200_SMS,
                ConvPrecision.TF32, true, true);
        Map<String, Integer> splits = plan.stream().collect(Collectors.toMap(PlannedLaunch::layer, PlannedLaunch::splits));
        // layer4's 3x3 convolutions: 8 tiles of 64 x 64 and K = 4608 (288 slices): 16 splits of 18.
        assertThat(splits).containsEntry("layer4.1.conv2", 16)
                // layer3's: 16 tiles (256 channels x 196 pixels), K = 2304: 8 splits of 18 slices.
                .containsEntry("layer3.1.conv2", 8)
                // the stem: 196 tiles of 64 x 64 already fill the GPU.
                .containsEntry("conv1", 1);
        for (PlannedLaunch launch : plan) {
            if (launch.splitsK()) {
                assertThat(launch.kernel()).isEqualTo("conv2d_tf32_64x64_splitk");
                assertThat(launch.grid().x()).as(launch.layer()).isLessThanOrEqualTo(H200_SMS);
                assertThat(launch.tiles() * launch.splits()).isEqualTo(launch.grid().volume());
            }
        }
        assertThat(plan).filteredOn(PlannedLaunch::splitsK).hasSizeGreaterThan(10);
    }

    @Test
    void resNet50AtBatch1024AndEveryFp32PlanAreUnchanged() {
        Network resnet50 = ResNetArchitecture.RESNET50.network();
        assertThat(PlannedLaunch.plan(resnet50, 1024, H200_SMS, ConvPrecision.TF32, true, true))
                .as("every layer of the batch model fills the GPU with its own tiles")
                .isEqualTo(PlannedLaunch.plan(resnet50, 1024, H200_SMS, ConvPrecision.TF32, true));
        Network resnet18 = ResNetArchitecture.RESNET18.network();
        assertThat(PlannedLaunch.plan(resnet18, 1, H200_SMS, ConvPrecision.FP32, true, true))
                .as("the FP32 kernels have no split-K variant")
                .isEqualTo(PlannedLaunch.plan(resnet18, 1, H200_SMS, ConvPrecision.FP32, true));
    }

    @Test
    void everySplitHasSlicesAtLeastTheMinimumAndTheGridNoMoreBlocksThanSmsUnlessUnsplit() {
        qt().forAll(integers().between(1, 1024), integers().between(1, 8), integers().between(1, 600),
                        integers().between(1, 200))
                .checkAssert((channels, kernelSize, outChannels, computeUnits) -> {
                    ConvShape shape = new ConvShape(channels, outChannels, 7, 7, kernelSize, 1, kernelSize / 2);
                    int splits = SplitK.splits(shape, 1, computeUnits, ConvTiling.SMALL, ConvPrecision.TF32);
                    int slices = ConvTiling.ceilDiv(shape.reductionSize(), SplitK.SLICE);
                    int chunk = ConvTiling.ceilDiv(slices, splits);
                    assertThat(splits).isBetween(1, SplitK.MAX_SPLITS);
                    if (splits > 1) {
                        assertThat(chunk).as("slices per split").isGreaterThanOrEqualTo(SplitK.MIN_SLICES_PER_SPLIT);
                        assertThat((long) (splits - 1) * chunk).as("the last split has slices").isLessThan(slices);
                        assertThat(ConvTiling.SMALL.blocks(shape, 1) * splits).isLessThanOrEqualTo(computeUnits);
                    }
                    assertThat(SplitK.splits(shape, 1, computeUnits, ConvTiling.LARGE, ConvPrecision.TF32)).isEqualTo(1);
                    assertThat(SplitK.splits(shape, 1, computeUnits, ConvTiling.SMALL, ConvPrecision.FP32)).isEqualTo(1);
                });
    }

    @Test
    void aSimulatedDeviceSplitsOnlyWhereItsTraceRecordedTheKernelAndThePropertyTurnsItOff() {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().build()) {
            assertThat(ResNetKernels.splitK()).as("on by default").isTrue();
            assertThat(ResNetKernels.splitK(sim.device(0))).as("a simulated device without a trace of the kernel").isFalse();
            try (ResNet model = ResNet.build(sim.device(0), ResNetArchitecture.RESNET18, 1, 1, ConvPrecision.TF32, false)) {
                assertThat(model.launches()).noneMatch(l -> l.plan().splitsK());
            }
        }
        TraceCostModel withSplitK = TraceCostModel.parse("split K", List.of(TraceCostModel.HEADER,
                "conv2d_tf32_64x64_splitk,128,1,1,256,1,1,20.0"), 1, Duration.ofMillis(1));
        try (SimulatedPlatform sim = SimulatedPlatform.builder().costModel(withSplitK).build()) {
            assertThat(ResNetKernels.splitK(sim.device(0))).as("a trace that recorded it").isTrue();
            try (ResNet model = ResNet.build(sim.device(0), ResNetArchitecture.RESNET18, 1, 1, ConvPrecision.TF32, false)) {
                assertThat(model.launches()).filteredOn(l -> l.plan().splitsK()).isNotEmpty()
                        .allSatisfy(l -> assertThat(l.yieldKernel().name()).isEqualTo("conv2d_tf32_64x64_yield"));
            }
        }
        SystemProperties.restoring(ResNetKernels.SPLIT_K_PROPERTY, () -> {
            System.setProperty(ResNetKernels.SPLIT_K_PROPERTY, "false");
            assertThat(ResNetKernels.splitK()).isFalse();
            try (SimulatedPlatform sim = SimulatedPlatform.builder().costModel(withSplitK).build()) {
                assertThat(ResNetKernels.splitK(sim.device(0))).isFalse();
            }
        });
    }

    @Test
    void theSplitArgumentsRefuseAnUnsplitLaunchAndBuffersTooSmallForTheLaunch() {
        List<PlannedLaunch> plan = PlannedLaunch.plan(ResNetArchitecture.RESNET18.network(), 1, H200_SMS,
                ConvPrecision.TF32, true, true);
        PlannedLaunch split = plan.stream().filter(l -> l.layer().equals("layer4.1.conv2")).findFirst().orElseThrow();
        PlannedLaunch unsplit = plan.getFirst();
        KernelArgs conv = KernelArgs.builder().i32(1).build();
        long partialBytes = SplitK.partialFloats(split.grid().volume()) * Float.BYTES;
        try (SimulatedPlatform sim = SimulatedPlatform.builder().build();
             DeviceBuffer partials = sim.device(0).allocate(partialBytes);
             DeviceBuffer arrivals = sim.device(0).allocate(split.tiles() * Integer.BYTES)) {
            assertThat(ResNetKernels.splitKArgs(conv, split, partials, arrivals).count()).as("the splits and two pointers added")
                    .isEqualTo(conv.count() + 3);
            assertThatThrownBy(() -> ResNetKernels.splitKArgs(conv, unsplit, partials, arrivals))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not split K");
            assertThatThrownBy(() -> ResNetKernels.splitKArgs(conv, split, partials.slice(0, partialBytes - 4), arrivals))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partial tiles");
            assertThatThrownBy(() -> ResNetKernels.splitKArgs(conv, split, partials, arrivals.slice(0, 4)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("arrival counts of 8 tiles need 32 bytes, got 4");
        }
    }
}
