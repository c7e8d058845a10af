package dev.xsched.examples.resnet;

import dev.xsched.hip.DeviceBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Max pooling and global average pooling against the CPU reference. */
@Tag("gpu")
class PoolKernelGpuTest extends OneStreamGpuTest {
    @Test
    void maxPool3x3Stride2MatchesTheReferenceAndNeverPicksThePadding() {
        for (int batch : new int[]{1, 3}) {
            var shape = new PoolShape(5, 17, 13, 3, 2, 1);
            float[] input = ReferenceOpsTest.gaussian(new SplittableRandom(batch), Math.toIntExact(batch * shape.inputElements()));
            for (int i = 0; i < input.length; i++) {
                input[i] = -Math.abs(input[i]) - 1;      // all negative: a zero from the padding would win
            }
            float[] expected = ReferenceOps.maxPool2d(input, batch, shape);
            try (DeviceBuffer in = Gpu.upload(device, stream, input);
                 DeviceBuffer out = Gpu.poisoned(device, stream, batch * shape.outputElements())) {
                stream.launch(kernels.kernel(ResNetKernels.MAX_POOL), ResNetKernels.maxPoolConfig(shape, batch),
                        ResNetKernels.maxPoolArgs(in, out, shape, batch));
                assertThat(Gpu.download(stream, out)).as("batch " + batch).containsExactly(expected);
            }
        }
    }

    @Test
    void globalAveragePoolMatchesTheReference() {
        int[][] shapes = {{3, 7, 49}, {1, 300, 15}, {2, 2048, 49}};
        for (int[] bcp : shapes) {
            int planes = bcp[0] * bcp[1];
            int planeSize = bcp[2];
            float[] input = ReferenceOpsTest.gaussian(new SplittableRandom(planes), planes * planeSize);
            float[] expected = ReferenceOps.globalAvgPool(input, planes, planeSize);
            try (DeviceBuffer in = Gpu.upload(device, stream, input);
                 DeviceBuffer out = Gpu.poisoned(device, stream, planes)) {
                stream.launch(kernels.kernel(ResNetKernels.GLOBAL_AVG_POOL), ResNetKernels.globalAvgPoolConfig(planes),
                        ResNetKernels.globalAvgPoolArgs(in, out, planes, planeSize));
                Gpu.assertClose(planes + " planes of " + planeSize, Gpu.download(stream, out), expected, 1e-6);
            }
        }
    }
}
