package dev.xsched.examples.resnet;

import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Dim3;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream.Builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The split-K convolution ({@link SplitK}, conv2d_tf32_64x64_splitk) on the GPU: every output
 * within TF32's bound of the CPU reference, the same bits from a second launch (the arrival
 * counts it left must be zero) and from sliced launches, whichever block of a tile finishes last;
 * and ResNet-18 at batch 1, whose small layers split, giving the same logits twice.
 */
@Tag("gpu")
class SplitKGpuTest extends OneStreamGpuTest {
    @BeforeEach
    void tensorCores() {
        assumeTrue(kernels.supports(ConvPrecision.TF32), () -> "split K is a TF32 kernel, which needs NVIDIA sm_80 or newer; this is "
                + device.architecture());
    }

    record Case(String name, ConvShape shape, int batch, boolean residual, boolean relu, int splits) {
        @Override
        public String toString() {
            return name + " " + shape + " batch " + batch + (residual ? " +residual" : "") + (relu ? " relu" : "")
                    + ", " + splits + " splits";
        }
    }

    static java.util.stream.Stream<Arguments> cases() {
        Builder<Arguments> cases = java.util.stream.Stream.builder();
        for (int splits : new int[]{2, 5, 16}) {
            cases.add(Arguments.of(new Case("layer4 3x3", new ConvShape(512, 512, 7, 7, 3, 1, 1), 1, true, true, splits)));
            cases.add(Arguments.of(new Case("3x3/2, ragged tiles", new ConvShape(24, 72, 17, 13, 3, 2, 1), 3, false, true,
                    splits)));
            cases.add(Arguments.of(new Case("fully connected", new ConvShape(2048, 1000, 1, 1, 1, 1, 0), 3, false, false,
                    splits)));
            cases.add(Arguments.of(new Case("1x1/1 vector loads", new ConvShape(256, 64, 14, 14, 1, 1, 0), 2, true, true,
                    splits)));
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheReferenceAndGivesTheSameBitsAgainAndSliced(Case c) {
        ConvShape s = c.shape();
        ConvInputs inputs = ConvInputs.random(s, c.batch(), c.residual(), c.relu(), c.toString().hashCode());
        float[] expected = inputs.expected();
        long tiles = ConvTiling.SMALL.blocks(s, c.batch());
        PlannedLaunch plan = new PlannedLaunch(c.name(), ConvTiling.SMALL.splitKKernelName(),
                LaunchConfig.of(Dim3.of(Math.toIntExact(tiles * c.splits())), Dim3.of(ConvTiling.THREADS)), c.splits());

        try (ConvInputs.Buffers b = inputs.upload(device, stream);
             DeviceBuffer partials = device.allocate(SplitK.partialFloats(plan.grid().volume()) * Float.BYTES);
             DeviceBuffer arrivals = device.allocate(tiles * Integer.BYTES)) {
            DeviceBuffer out = b.out();
            stream.memset(arrivals, 0);
            KernelArgs args = ResNetKernels.splitKArgs(
                    ResNetKernels.convArgs(b.in(), b.wt(), b.bias(), b.res(), out, s, c.batch(), c.relu(), ConvPrecision.TF32),
                    plan, partials, arrivals);
            var kernel = kernels.kernel(plan.kernel());
            stream.launch(kernel, plan.config(), ResNetKernels.unsliced(args));
            float[] first = Gpu.download(stream, out);
            float[] magnitude = ReferenceOps.conv2dMagnitude(inputs.input(), c.batch(), inputs.weights(), inputs.residual());
            ConvKernelGpuTest.assertWithinBound(c.toString(), first, expected, magnitude,
                    ConvPrecision.errorBound(s.reductionSize()));
            assertThat(Gpu.downloadBits(stream, arrivals)).as("arrival counts left by the launch").containsOnly(0);

            stream.memset(out, 0xFF);
            stream.launch(kernel, plan.config(), ResNetKernels.unsliced(args));
            assertThat(Gpu.download(stream, out)).as("%s launched again", c).containsExactly(first);
            for (int k : new int[]{1, Math.max(1, plan.grid().x() / 3)}) {
                stream.memset(out, 0xFF);
                stream.launchSliced(kernel, plan.config(), args, k);
                assertThat(Gpu.download(stream, out)).as("%s sliced by %d", c, k).containsExactly(first);
            }
        }
    }

    @Test
    void resnet18AtBatch1SplitsItsSmallLayersAndGivesTheSameLogitsTwice() {
        try (ResNet model = ResNet.build(device, ResNetArchitecture.RESNET18, 1, 7, ConvPrecision.TF32)) {
            assertThat(model.launches()).filteredOn(l -> l.plan().splitsK()).as("split-K launches").hasSizeGreaterThan(5);
            model.uploadInput(stream, ResNet.randomImages(model.network(), 1, 11));
            model.forwardAndWait(stream);
            float[] first = model.downloadLogits(stream);
            stream.memset(model.logits(), 0xFF);
            model.forwardAndWait(stream);
            assertThat(model.downloadLogits(stream)).as("a second forward pass").containsExactly(first);
        }
    }
}
