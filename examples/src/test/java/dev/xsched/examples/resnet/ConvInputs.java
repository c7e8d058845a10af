package dev.xsched.examples.resnet;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A convolution's random inputs for the GPU tests (Gaussian weights, bias, input and, where the case
 * fuses one, residual) and its double-precision reference output.
 *
 * @param residual null where the convolution adds none
 */
record ConvInputs(ConvShape shape, int batch, boolean relu, ConvWeights weights, float[] input, float[] residual) {
    static ConvInputs random(ConvShape shape, int batch, boolean residual, boolean relu, long seed) {
        var random = new SplittableRandom(seed);
        ConvWeights weights = ModelWeights.randomConv(shape, random);
        float[] input = ReferenceOpsTest.gaussian(random, Math.toIntExact(batch * shape.inputElements()));
        float[] added = residual ? ReferenceOpsTest.gaussian(random, Math.toIntExact(batch * shape.outputElements())) : null;
        return new ConvInputs(shape, batch, relu, weights, input, added);
    }

    float[] expected() {
        return ReferenceOps.conv2d(input, batch, weights, residual, relu);
    }

    /**
     * The inputs uploaded, and an output poisoned with NaN, on {@code queue}; where one upload fails,
     * those made before it are closed.
     */
    Buffers upload(Device device, CommandQueue queue) {
        List<DeviceBuffer> made = new ArrayList<>();
        try {
            DeviceBuffer in = kept(made, Gpu.upload(device, queue, input));
            DeviceBuffer wt = kept(made, Gpu.upload(device, queue, weights.reductionMajor()));
            DeviceBuffer bias = kept(made, Gpu.upload(device, queue, weights.bias()));
            DeviceBuffer res = residual == null ? null : kept(made, Gpu.upload(device, queue, residual));
            DeviceBuffer out = kept(made, Gpu.poisoned(device, queue, batch * shape.outputElements()));
            return new Buffers(in, wt, bias, res, out);
        } catch (RuntimeException | Error e) {
            made.forEach(DeviceBuffer::close);
            throw e;
        }
    }

    private static DeviceBuffer kept(List<DeviceBuffer> made, DeviceBuffer buffer) {
        made.add(buffer);
        return buffer;
    }

    /** The device buffers of one convolution; {@code res} is null where it adds no residual. */
    record Buffers(DeviceBuffer in, DeviceBuffer wt, DeviceBuffer bias, DeviceBuffer res, DeviceBuffer out)
            implements AutoCloseable {
        @Override
        public void close() {
            Gpu.closeAll(out, in, wt, bias);
            if (res != null) {
                res.close();
            }
        }
    }
}
