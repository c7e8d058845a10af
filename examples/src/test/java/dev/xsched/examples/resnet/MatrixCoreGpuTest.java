package dev.xsched.examples.resnet;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The matrix-core convolutions ({@link MatrixCores}) on an AMD gfx908 or gfx90a GPU, plain and
 * yieldable (with nothing raised), against the CPU reference on {@link ConvKernelGpuTest}'s shapes,
 * to FP32's tolerance. Skips elsewhere, saying why; on a machine without such a GPU their
 * arithmetic is checked by {@link KernelEmulationTest} and their instructions by
 * {@link ResNetKernelsCompileTest}.
 */
@Tag("gpu")
class MatrixCoreGpuTest extends OneStreamGpuTest {
    private static final double TOLERANCE = 1e-5;

    static Stream<Arguments> cases() {
        return ConvKernelGpuTest.cases().filter(a -> a.get()[2] == ConvPrecision.FP32)
                .flatMap(a -> Stream.of(Arguments.of(a.get()[0], a.get()[1], false), Arguments.of(a.get()[0], a.get()[1], true)));
    }

    @ParameterizedTest(name = "{1} yieldable {2}: {0}")
    @MethodSource("cases")
    void matchesTheReference(ConvKernelGpuTest.Case c, ConvTiling tiling, boolean yieldable) {
        assumeTrue(MatrixCores.supportedOn(device.architecture()),
                () -> "the matrix-core kernels are compiled for gfx908 and gfx90a; this is " + device.architecture());
        ConvShape s = c.shape();
        ConvInputs inputs = ConvInputs.random(s, c.batch(), c.residual(), c.relu(), c.toString().hashCode());
        try (ConvInputs.Buffers b = inputs.upload(device, stream)) {
            var args = ResNetKernels.convArgs(b.in(), b.wt(), b.bias(), b.res(), b.out(), s, c.batch(), c.relu(),
                    ConvPrecision.FP32);
            String kernel = tiling.matrixCoreKernelName();
            if (yieldable) {
                try (YieldControls controls = new YieldControls(device, stream, tiling.launchConfig(s, c.batch()))) {
                    controls.reset();
                    stream.launch(kernels.kernel(kernel + "_yield"), tiling.launchConfig(s, c.batch()), controls.managed(args));
                    stream.synchronize();
                    assertThat(controls.record()).as("no block stopped early").isZero();
                }
            } else {
                stream.launch(kernels.kernel(kernel), tiling.launchConfig(s, c.batch()), ResNetKernels.unsliced(args));
            }
            Gpu.assertClose(kernel + " " + c, Gpu.download(stream, b.out()), inputs.expected(), TOLERANCE);
        }
    }
}
