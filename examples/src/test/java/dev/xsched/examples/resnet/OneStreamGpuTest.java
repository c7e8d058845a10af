package dev.xsched.examples.resnet;

import dev.xsched.hip.Device;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * The setup that the GPU test classes launching on one stream share: per test (so that each skip
 * is reported with its reason), device 0 of a real platform or a skip that says why, a stream on
 * it, closed after the test, and the device's ResNet kernels (compiled once per JVM).
 */
@Tag("gpu")
abstract class OneStreamGpuTest {
    protected Device device;
    protected Stream stream;
    protected ResNetKernels kernels;

    @BeforeEach
    final void openStream() {
        device = Gpu.deviceOrSkip();
        stream = device.createStream();
        kernels = ResNetKernels.forDevice(device);
    }

    @AfterEach
    final void closeStream() {
        if (stream != null) {
            stream.close();
        }
    }
}
