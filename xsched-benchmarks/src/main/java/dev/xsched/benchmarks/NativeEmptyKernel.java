package dev.xsched.benchmarks;

import dev.xsched.hip.Device;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;

/**
 * What the native benchmarks launch: an empty kernel (one thread, no arguments) compiled for the
 * platform's device 0, and a stream of that device. With the fake driver of hip-ffm's tests the
 * kernel is the host function it picks by the name {@code empty_kernel}.
 */
final class NativeEmptyKernel implements AutoCloseable {
    private static final String SOURCE = "extern \"C\" __global__ void empty_kernel() { }\n";

    final LaunchConfig config = LaunchConfig.of(1, 1);
    final KernelArgs none = KernelArgs.builder().build();
    final Stream stream;
    final Kernel kernel;
    private final HipModule module;

    NativeEmptyKernel() {
        Device device = Hip.platform().device(0);
        module = device.loadModule(device.compiler().compile("empty_kernel.cu", SOURCE));
        kernel = module.function("empty_kernel");
        stream = device.createStream();
    }

    @Override
    public void close() {
        stream.close();
        module.close();
    }
}
