package dev.xsched.examples.resnet;

import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.TraceCostModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

/**
 * The kind of input load each convolution takes, and the kernels by kind that the 128 x 128 TF32
 * tile's layers launch where {@link ResNetKernels#splitLoads()} is on.
 */
class ConvLoadsTest {
    private final Network resnet50 = ResNetArchitecture.RESNET50.network();

    @Test
    void eachKindIsTheKernelsOwnTest() {
        qt().forAll(integers().between(1, 3), integers().between(0, 3), integers().between(1, 30), integers().between(1, 30))
                .checkAssert((kernel, strideAndPad, h, w) -> {
                    int stride = 1 + strideAndPad / 2;
                    int pad = kernel == 1 ? 0 : strideAndPad % 2;   // ConvShape: padding below the kernel size
                    int size = 2 * kernel - 1;
                    var shape = new ConvShape(8, 16, Math.max(h, size), Math.max(w, size), size, stride, pad);
                    boolean pointwise = size == 1 && pad == 0;   // xsched_point_loads
                    boolean vector = pointwise && stride == 1 && (shape.inHeight() * shape.inWidth()) % 4 == 0;   // xsched_vector_loads
                    assertThat(ConvLoads.of(shape)).isEqualTo(vector ? ConvLoads.VECTOR : pointwise ? ConvLoads.POINT : ConvLoads.GATHER);
                });
    }

    @Test
    void resNet50TakesEveryKind() {
        Map<String, ConvLoads> kinds = resnet50.layers().stream().filter(Layer.Conv.class::isInstance).map(Layer.Conv.class::cast)
                .collect(Collectors.toMap(Layer.Conv::name, c -> ConvLoads.of(c.shape())));
        assertThat(kinds).containsEntry("conv1", ConvLoads.GATHER)
                .containsEntry("layer1.0.downsample.0", ConvLoads.VECTOR)       // 56 x 56, stride 1
                .containsEntry("layer2.0.downsample.0", ConvLoads.POINT)        // stride 2
                .containsEntry("layer3.0.conv2", ConvLoads.GATHER)              // 3 x 3
                .containsEntry("layer4.0.conv1", ConvLoads.VECTOR)              // 14 x 14 in
                .containsEntry("layer4.1.conv1", ConvLoads.POINT);              // 7 x 7 in: 49 pixels, not whole 16-byte copies
    }

    @Test
    void splitPlansNameTheLargeTf32TilesKernelOfEachKindAndLeaveTheOthers() {
        List<PlannedLaunch> two = PlannedLaunch.plan(resnet50, 1024, 132, ConvPrecision.TF32);
        List<PlannedLaunch> split = PlannedLaunch.plan(resnet50, 1024, 132, ConvPrecision.TF32, true);
        assertThat(split).hasSameSizeAs(two);
        for (int i = 0; i < two.size(); i++) {
            PlannedLaunch before = two.get(i);
            PlannedLaunch after = split.get(i);
            assertThat(after.config()).isEqualTo(before.config());
            if (before.kernel().equals(ConvTiling.LARGE.kernelName(ConvPrecision.TF32))) {
                Layer.Conv conv = (Layer.Conv) resnet50.layers().get(i);
                assertThat(after.kernel()).isEqualTo("conv2d_tf32_128x128_" + ConvLoads.of(conv.shape()).suffix());
                assertThat(ResNetKernels.SIGNATURES).containsKeys(after.kernel(), after.kernel() + "_yield",
                        after.kernel() + "_persist");
                assertThat(PersistentGrid.twinOf(after.kernel())).contains(new PersistentGrid.Twin(after.kernel() + "_persist", 2));
            } else {
                assertThat(after.kernel()).as("%s keeps its kernel", before.layer()).isEqualTo(before.kernel());
            }
        }
        assertThat(split).extracting(PlannedLaunch::kernel).contains("conv2d_tf32_128x128_vector", "conv2d_tf32_128x128_point",
                "conv2d_tf32_128x128_gather", "conv2d_tf32_64x128");
        assertThat(PlannedLaunch.plan(resnet50, 1024, 132, ConvPrecision.FP32, true)).as("FP32 has one kernel for every kind")
                .isEqualTo(PlannedLaunch.plan(resnet50, 1024, 132, ConvPrecision.FP32));
    }

    @Test
    void aSimulatedDeviceKeepsTheKernelsItsTraceRecordedAndThePropertyTurnsTheSplitOff() {
        assertThat(ConvTiling.LARGE.splitsLoads(ConvPrecision.TF32)).isTrue();
        assertThat(ConvTiling.NARROW.splitsLoads(ConvPrecision.TF32)).isFalse();
        assertThat(ConvTiling.LARGE.splitsLoads(ConvPrecision.FP32)).isFalse();
        try (SimulatedPlatform sim = SimulatedPlatform.builder().build()) {
            assertThat(ResNetKernels.splitLoads()).as("on by default").isTrue();
            assertThat(ResNetKernels.splitLoads(sim.device(0))).as("a simulated device without a trace of the kernels by kind")
                    .isFalse();
            try (ResNet model = ResNet.build(sim.device(0), ResNetArchitecture.RESNET50, 8, 1, ConvPrecision.TF32, false)) {
                assertThat(model.launches()).extracting(l -> l.plan().kernel()).doesNotContain("conv2d_tf32_128x128_vector");
            }
        }
        TraceCostModel byKind = TraceCostModel.parse("by kind", List.of(TraceCostModel.HEADER,
                "conv2d_tf32_128x128_gather,264,1,1,256,1,1,100.0"), 1, Duration.ofMillis(1));
        try (SimulatedPlatform sim = SimulatedPlatform.builder().costModel(byKind).build()) {
            assertThat(ResNetKernels.splitLoads(sim.device(0))).as("a trace that recorded the kernels by kind").isTrue();
        }
        SystemProperties.restoring(ResNetKernels.SPLIT_LOADS_PROPERTY, () -> {
            System.setProperty(ResNetKernels.SPLIT_LOADS_PROPERTY, "false");
            assertThat(ResNetKernels.splitLoads()).isFalse();
            try (SimulatedPlatform sim = SimulatedPlatform.builder().costModel(byKind).build()) {
                assertThat(ResNetKernels.splitLoads(sim.device(0))).isFalse();
            }
        });
    }
}
