package dev.xsched.hip.gpu;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.KernelCompilationException;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Launches with the wrong argument count or sizes, with closed buffers or closed modules, are
 * rejected in Java before the native call: the stream stays usable and the next correct launch
 * computes the right answer (a bad launch that reached the driver would read garbage, not fail).
 */
@Tag("gpu")
class GpuLaunchValidationTest {
    private Device gpu;

    /** Per test, not per class: each test then reports the skip (and its reason) where no GPU exists. */
    @BeforeEach
    void gpu() {
        gpu = GpuSupport.device();
    }

    @Test
    void wrongArgumentsNeverReachTheDriver() {
        int n = 1000;
        try (Arena arena = Arena.ofConfined();
             HipModule module = gpu.loadModule(gpu.compiler().compile("vector_add.cu", GpuKernels.VECTOR_ADD));
             DeviceBuffer a = gpu.allocate(4L * n);
             DeviceBuffer c = gpu.allocate(4L * n);
             Stream stream = gpu.createStream()) {
            Kernel vectorAdd = module.function("vector_add", ParamType.POINTER, ParamType.POINTER, ParamType.POINTER, ParamType.INT);
            LaunchConfig config = LaunchConfig.of((n + 255) / 256, 256);

            assertThatThrownBy(() -> stream.launch(vectorAdd, config, KernelArgs.builder().pointer(a).pointer(a).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 4 arguments");
            assertThatThrownBy(() -> stream.launch(vectorAdd, config,
                    KernelArgs.builder().pointer(a).pointer(a).pointer(c).i64(n).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argument 3 is INT (4 bytes), got LONG (8 bytes)");
            DeviceBuffer closed = gpu.allocate(16);
            closed.close();
            KernelArgs good = KernelArgs.builder().pointer(a).pointer(a).pointer(c).i32(n).build();
            assertThatThrownBy(() -> KernelArgs.builder().pointer(closed)).isInstanceOf(IllegalStateException.class);

            MemorySegment ones = arena.allocate(JAVA_FLOAT, n);
            for (int i = 0; i < n; i++) {
                ones.setAtIndex(JAVA_FLOAT, i, 1f);
            }
            stream.copy(a, ones);
            stream.memset(c, 0xFF);
            stream.launch(vectorAdd, config, good);
            MemorySegment out = arena.allocate(JAVA_FLOAT, n);
            stream.copy(out, c);
            stream.synchronize();
            for (int i = 0; i < n; i++) {
                assertThat(out.getAtIndex(JAVA_FLOAT, i)).isEqualTo(2f);
            }
        }
    }

    @Test
    void freedPointersClosedModulesAndClosedStreamsAreRejected() {
        HipModule module = gpu.loadModule(gpu.compiler().compile("vector_add.cu", GpuKernels.VECTOR_ADD));
        Kernel vectorAdd = module.function("vector_add", ParamType.POINTER, ParamType.POINTER, ParamType.POINTER, ParamType.INT);
        DeviceBuffer buffer = gpu.allocate(64);
        KernelArgs args = KernelArgs.builder().pointer(buffer).pointer(buffer).pointer(buffer).i32(16).build();
        try (Stream stream = gpu.createStream()) {
            buffer.close();
            assertThatThrownBy(() -> stream.launch(vectorAdd, LaunchConfig.of(1, 16), args))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed device buffer");
            module.close();
            assertThatThrownBy(() -> stream.launch(vectorAdd, LaunchConfig.of(1, 16), KernelArgs.none()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("module");
        }
        Stream closedStream = gpu.createStream();
        closedStream.close();
        assertThatThrownBy(closedStream::synchronize).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnknownKernelNameAndACompileErrorAreReportedWithDetail() {
        try (HipModule module = gpu.loadModule(gpu.compiler().compile("vector_add.cu", GpuKernels.VECTOR_ADD))) {
            assertThatThrownBy(() -> module.function("no_such_kernel"))
                    .hasMessageContaining("no_such_kernel").hasMessageContaining("NotFound");
        }
        assertThatThrownBy(() -> gpu.compiler().compile("broken.cu", """
                extern "C" __global__ void broken(float* out) {
                    out[threadIdx.x] = undeclared_variable + ;
                }
                """, List.of()))
                .isInstanceOfSatisfying(KernelCompilationException.class, e -> {
                    assertThat(e.code()).isEqualTo(6);
                    assertThat(e.errorName()).endsWith("RTC_ERROR_COMPILATION");
                    assertThat(e.log()).contains("undeclared_variable");
                });
    }
}
