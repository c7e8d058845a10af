package dev.xsched.examples.reliability;

import dev.xsched.hip.Device;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.ParamType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link FaultScenario} on an NVIDIA GPU, or on hip-ffm's fake CUDA driver (which turns a
 * {@code write_at} with a non-zero offset into a sticky {@code CUDA_ERROR_ILLEGAL_ADDRESS}).
 *
 * <p><b>It poisons the GPU context of its JVM for good</b>, so it runs in a JVM of its own: the
 * surefire executions {@code gpu-fault} and {@code fake-cuda-fault} of the examples' pom, and a
 * third console-launcher JVM in the bundle's {@code bin/xsched gpu-test}. NVIDIA only: on AMD,
 * ROCm aborts the process on a GPU memory fault. The handles are left unclosed on purpose: closing
 * them would only fail the same way.
 */
@Tag("gpu")
class XQueueGpuFaultTest {
    @Test
    void aKernelFaultInOneQueueIsReportedEverywhereAndNothingHangs() throws InterruptedException {
        Device gpu = nvidiaDevice();
        var module = gpu.loadModule(gpu.compiler().compile("write_at.cu", FaultScenario.WRITE_AT));
        FaultScenario.run(gpu, module.function("write_at", ParamType.POINTER, ParamType.LONG), gpu.allocate(4));
    }

    private static Device nvidiaDevice() {
        HipPlatform platform;
        try {
            platform = Hip.platform();
        } catch (IllegalStateException | IllegalArgumentException e) {
            return abort("no HIP platform can be used here: " + e.getMessage());
        }
        assumeTrue(!platform.isSimulated() && platform.deviceCount() > 0,
                "platform " + platform.name() + " is simulated or has no device: this test needs an NVIDIA GPU or the fake CUDA driver");
        assumeTrue(platform.name().equals("nvidia"),
                "on " + platform.name() + " a GPU memory fault aborts the process; this test runs on NVIDIA only");
        return platform.device(0);
    }
}
