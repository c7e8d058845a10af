package dev.xsched.hip.gpu;

import dev.xsched.hip.Availability;
import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Hip;
import dev.xsched.hip.KernelCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GPU tests' kernels compile with hiprtc from the same source NVRTC compiles on NVIDIA, on any
 * machine with the HIP runtime (no GPU needed). Not tagged {@code gpu}: it runs in every build.
 */
class PortableKernelSourcesTest {
    private static KernelCompiler hiprtc;

    @BeforeAll
    static void hiprtc() {
        Availability probe = Hip.load("amd");
        assumeTrue(probe.available(), () -> "libamdhip64 is not installed here: " + probe.describe());
        hiprtc = Hip.open("amd").compiler();
    }

    static Stream<Arguments> kernels() {
        return Stream.of(
                Arguments.of("vector_add", GpuKernels.VECTOR_ADD),
                Arguments.of("block_sum", GpuKernels.BLOCK_SUM),
                Arguments.of("matmul_tiled", GpuKernels.MATMUL_TILED),
                Arguments.of("spin", GpuKernels.SPIN),
                Arguments.of("write_at", GpuKernels.WRITE_AT),
                Arguments.of("empty_kernel", GpuKernels.EMPTY),
                Arguments.of("yield_count", GpuKernels.YIELD_COUNT),
                Arguments.of("write_int", GpuKernels.WRITE_INT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void compilesWithHiprtc(String kernel, String source) {
        CodeObject code = hiprtc.compile(kernel + ".hip", source, List.of("--offload-arch=gfx90a"));
        assertThat(new String(code.bytes(), StandardCharsets.ISO_8859_1)).contains(kernel);
    }
}
