package dev.xsched.hip.gpu;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A kernel that writes far out of bounds: the fault surfaces as a {@link HipException} naming the
 * illegal access, and every later call says that the context is unusable. Nothing hangs.
 *
 * <p><b>This test poisons the GPU context of its JVM for good</b> (CUDA has no way back short of a
 * new process). It therefore runs in a JVM of its own: Maven's surefire runs it in a separate
 * execution ({@code gpu-fault} in hip-ffm's pom) after every other test, and the bundle's
 * {@code bin/xsched gpu-test} runs it in a second console-launcher JVM. Its methods run in order.
 *
 * <p>NVIDIA only: on AMD, ROCm's runtime aborts the whole process on a GPU memory fault
 * ("Memory access fault by GPU node"), so there is no exception to check.
 */
@Tag("gpu")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GpuFaultTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    /** 2^38 ints = 1 TiB past the buffer: far outside any allocation. */
    private static final long FAR = 1L << 38;
    private Device gpu;

    @BeforeEach
    void gpu() {
        gpu = GpuSupport.device();
        assumeTrue(gpu.platform().name().equals("nvidia"),
                "on " + gpu.platform().name() + " a GPU memory fault aborts the process; this test runs on NVIDIA only");
    }

    @Test
    @Order(1)
    void anOutOfBoundsWriteIsReportedAsAnIllegalAddress() {
        assertTimeoutPreemptively(LIMIT, () -> {
            HipModule module = gpu.loadModule(gpu.compiler().compile("write_at.cu", GpuKernels.WRITE_AT));
            Kernel writeAt = module.function("write_at", ParamType.POINTER, ParamType.LONG);
            DeviceBuffer buffer = gpu.allocate(4);
            Stream stream = gpu.createStream();
            stream.launch(writeAt, LaunchConfig.of(1, 1), KernelArgs.builder().pointer(buffer).i64(FAR).build());
            assertThatThrownBy(stream::synchronize)
                    .isInstanceOfSatisfying(HipException.class, e -> {
                        assertThat(e.is(HipError.ILLEGAL_ADDRESS)).as(e.getMessage()).isTrue();
                        assertThat(e.errorName()).isEqualTo("hipErrorIllegalAddress");
                        assertThat(e.call()).startsWith("cuStreamSynchronize");
                        assertThat(e.errorMessage()).contains("illegal memory access").contains("CUDA_ERROR_ILLEGAL_ADDRESS")
                                .contains("the CUDA context is unusable after this error; restart the process");
                    });
            // The handles are left unclosed on purpose: closing them would only fail the same way.
        });
    }

    @Test
    @Order(2)
    void laterCallsSayTheContextIsUnusable() {
        assertTimeoutPreemptively(LIMIT, () -> {
            assertThatThrownBy(() -> gpu.allocate(1024))
                    .isInstanceOf(HipException.class)
                    .hasMessageContaining("unusable")
                    .hasMessageContaining("restart the process");
            assertThatThrownBy(gpu::synchronize)
                    .isInstanceOf(HipException.class)
                    .hasMessageContaining("unusable");
        });
    }
}
