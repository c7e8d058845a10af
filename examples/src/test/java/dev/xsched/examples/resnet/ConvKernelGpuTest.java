package dev.xsched.examples.resnet;

import dev.xsched.hip.DeviceBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream.Builder;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The convolution kernels, both tile shapes and both precisions, against the CPU reference on
 * small shapes that hit every ResNet case (7x7/2 pad 3 stem, 3x3/1, 3x3/2, 1x1/1, 1x1/2
 * downsample) and the edges of the tiling: odd and non-square images, output channels and
 * reduction lengths that are not multiples of any tile, batch 1 and 3, and the fused residual and
 * ReLU. FP32 must match to 1e-5 of the largest output; TF32 must keep every output within the
 * bound derived in {@link ConvPrecision} (TF32 cases skip on devices without tensor cores).
 */
@Tag("gpu")
class ConvKernelGpuTest extends OneStreamGpuTest {
    private static final double TOLERANCE = 1e-5;

    record Case(String name, ConvShape shape, int batch, boolean residual, boolean relu) {
        @Override
        public String toString() {
            return name + " " + shape + " batch " + batch + (residual ? " +residual" : "") + (relu ? " relu" : "");
        }
    }

    static java.util.stream.Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        for (int batch : new int[]{1, 3}) {
            cases.add(new Case("stem 7x7/2", new ConvShape(3, 64, 23, 19, 7, 2, 3), batch, false, true));
            cases.add(new Case("3x3/1", new ConvShape(16, 40, 15, 15, 3, 1, 1), batch, false, true));
            cases.add(new Case("3x3/2", new ConvShape(24, 72, 17, 13, 3, 2, 1), batch, false, true));
            cases.add(new Case("1x1/2 downsample", new ConvShape(32, 130, 9, 9, 1, 2, 0), batch, false, false));
            cases.add(new Case("1x1/1", new ConvShape(64, 256, 7, 7, 1, 1, 0), batch, false, true));
        }
        cases.add(new Case("3x3 reduction 1170", new ConvShape(130, 20, 5, 5, 3, 1, 1), 1, false, false));
        cases.add(new Case("residual and relu", new ConvShape(16, 48, 11, 11, 3, 1, 1), 2, true, true));
        cases.add(new Case("residual, no relu", new ConvShape(33, 129, 6, 7, 1, 1, 0), 3, true, false));
        cases.add(new Case("layer4 3x3 reduction 4608", new ConvShape(512, 512, 7, 7, 3, 1, 1), 1, true, true));
        cases.add(new Case("fully connected", new ConvShape(2048, 1000, 1, 1, 1, 1, 0), 3, false, false));
        cases.add(new Case("1x1/1 vector loads", new ConvShape(256, 64, 14, 14, 1, 1, 0), 2, true, true));
        Builder<Arguments> args = java.util.stream.Stream.builder();
        for (ConvPrecision precision : ConvPrecision.values()) {
            for (Case c : cases) {
                for (ConvTiling tiling : ConvTiling.values()) {
                    if (tiling.supports(precision)) {
                        args.add(Arguments.of(c, tiling, precision));
                    }
                }
            }
        }
        return args.build();
    }

    private void assumeSupported(ConvPrecision precision) {
        assumeTrue(kernels.supports(precision), () -> precision.label() + " kernels need NVIDIA sm_80 or newer; this is "
                + device.architecture());
    }

    @ParameterizedTest(name = "{2} {1}: {0}")
    @MethodSource("cases")
    void matchesTheReference(Case c, ConvTiling tiling, ConvPrecision precision) {
        assumeSupported(precision);
        ConvShape s = c.shape();
        ConvInputs inputs = ConvInputs.random(s, c.batch(), c.residual(), c.relu(), c.toString().hashCode());
        float[] expected = inputs.expected();
        try (ConvInputs.Buffers b = inputs.upload(device, stream)) {
            stream.launch(kernels.conv(tiling, precision), tiling.launchConfig(s, c.batch()), ResNetKernels.unsliced(
                    ResNetKernels.convArgs(b.in(), b.wt(), b.bias(), b.res(), b.out(), s, c.batch(), c.relu(), precision)));
            float[] actual = Gpu.download(stream, b.out());
            if (precision == ConvPrecision.FP32) {
                Gpu.assertClose(c.toString(), actual, expected, TOLERANCE);
            } else {
                float[] magnitude = ReferenceOps.conv2dMagnitude(inputs.input(), c.batch(), inputs.weights(), inputs.residual());
                assertWithinBound(c.toString(), actual, expected, magnitude, ConvPrecision.errorBound(s.reductionSize()));
            }
        }
    }

    /** {@code |actual - expected| <= factor * magnitude} for every element, all finite. */
    static void assertWithinBound(String what, float[] actual, float[] expected, float[] magnitude, double factor) {
        org.assertj.core.api.Assertions.assertThat(actual).as(what + " length").hasSameSizeAs(expected);
        double worst = 0;
        int worstIndex = 0;
        for (int i = 0; i < actual.length; i++) {
            org.assertj.core.api.Assertions.assertThat(Float.isFinite(actual[i]))
                    .as("%s[%d] = %s is not finite (not written?)", what, i, actual[i]).isTrue();
            double ratio = Math.abs(actual[i] - expected[i]) / (factor * magnitude[i] + Double.MIN_NORMAL);
            if (ratio > worst) {
                worst = ratio;
                worstIndex = i;
            }
        }
        final int at = worstIndex;
        org.assertj.core.api.Assertions.assertThat(worst).as(() -> what + ": worst error at " + at + ": got " + actual[at]
                + ", expected " + expected[at] + ", bound " + factor * magnitude[at]).isLessThanOrEqualTo(1.0);
    }

    /** Sliced launches (1 block, 3 blocks, half the grid per slice) give bit-identical results. */
    @ParameterizedTest(name = "{2} {1}: {0}")
    @MethodSource("cases")
    void slicedEqualsUnsliced(Case c, ConvTiling tiling, ConvPrecision precision) {
        assumeSupported(precision);
        ConvShape s = c.shape();
        ConvInputs inputs = ConvInputs.random(s, c.batch(), c.residual(), c.relu(), c.toString().hashCode() + 1);
        var config = tiling.launchConfig(s, c.batch());
        try (ConvInputs.Buffers b = inputs.upload(device, stream)) {
            var args = ResNetKernels.convArgs(b.in(), b.wt(), b.bias(), b.res(), b.out(), s, c.batch(), c.relu(), precision);
            stream.launch(kernels.conv(tiling, precision), config, ResNetKernels.unsliced(args));
            float[] unsliced = Gpu.download(stream, b.out());
            for (int k : new int[] {1, 3, Math.max(1, config.grid().x() / 2)}) {
                try (DeviceBuffer fresh = Gpu.poisoned(device, stream, c.batch() * s.outputElements())) {
                    var slicedArgs = ResNetKernels.convArgs(b.in(), b.wt(), b.bias(), b.res(), fresh, s, c.batch(), c.relu(),
                            precision);
                    stream.launchSliced(kernels.conv(tiling, precision), config, slicedArgs, k);
                    float[] sliced = Gpu.download(stream, fresh);
                    org.assertj.core.api.Assertions.assertThat(sliced).as("%s sliced by %d", c, k).containsExactly(unsliced);
                }
            }
        }
    }
}
