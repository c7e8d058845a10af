package dev.xsched.hip.internal.amd;

import dev.xsched.hip.Availability;
import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Hip;
import dev.xsched.hip.KernelCompilationException;
import dev.xsched.hip.KernelCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** hiprtc compiles real kernels to AMD GPU code objects, with or without a GPU. */
class HiprtcCompilerTest {
    static final String VECTOR_ADD = """
            extern "C" __global__ void vector_add(const float* a, const float* b, float* out, int n) {
                int i = blockIdx.x * blockDim.x + threadIdx.x;
                if (i < n) out[i] = a[i] + b[i];
            }
            """;
    private static final int EM_AMDGPU = 224;
    private static final int EF_AMDGPU_MACH_MASK = 0xff;
    private static final int EF_AMDGPU_MACH_GFX90A = 0x3f;
    private static final int EF_AMDGPU_MACH_GFX908 = 0x30;

    private static KernelCompiler compiler;

    @BeforeAll
    static void compiler() {
        Availability probe = Hip.load("amd");
        assumeTrue(probe.available(), () -> "libamdhip64 is not installed here: " + probe.describe());
        compiler = Hip.open("amd").compiler();
    }

    @Test
    void reportsItsVersion() {
        assertThat(compiler.version()).matches("hiprtc \\d+\\.\\d+ \\(.*\\)");
    }

    @Test
    void compilesAKernelToAGfx90aCodeObject() {
        CodeObject code = compiler.compile("vector_add.hip", VECTOR_ADD, List.of("-O3", "--offload-arch=gfx90a"));
        assertThat(code.target()).isEqualTo("gfx90a");
        ByteBuffer elf = ByteBuffer.wrap(code.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(elf.getInt(0)).as("ELF magic").isEqualTo(0x464c457f);
        assertThat(elf.getShort(18) & 0xffff).as("e_machine").isEqualTo(EM_AMDGPU);
        assertThat(elf.getInt(48) & EF_AMDGPU_MACH_MASK).as("e_flags machine").isEqualTo(EF_AMDGPU_MACH_GFX90A);
        assertThat(new String(code.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("vector_add");
    }

    @Test
    void theTargetFollowsTheOption() {
        CodeObject code = compiler.compile("vector_add.hip", VECTOR_ADD, List.of("--offload-arch=gfx908"));
        ByteBuffer elf = ByteBuffer.wrap(code.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(code.target()).isEqualTo("gfx908");
        assertThat(elf.getInt(48) & EF_AMDGPU_MACH_MASK).isEqualTo(EF_AMDGPU_MACH_GFX908);
    }

    @Test
    void aTargetTheCodeObjectManagerDoesNotKnowIsRejectedBeforeHiprtcSeesIt() {
        // ROCm 5.2's hiprtc corrupts the heap (and kills the JVM) on an unknown target.
        assertThatThrownBy(() -> compiler.compile("vector_add.hip", VECTOR_ADD, List.of("--offload-arch=gfx9999")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot compile for 'gfx9999'")
                .hasMessageContaining("gfx90a");
    }

    @Test
    void processorNamesAreTakenFromIsaNamesAndTargetIds() {
        assertThat(ComgrTargets.processorOf("amdgcn-amd-amdhsa--gfx90a:sramecc+:xnack-")).isEqualTo("gfx90a");
        assertThat(ComgrTargets.processorOf("gfx942:xnack+")).isEqualTo("gfx942");
        assertThat(ComgrTargets.processorOf("gfx1100")).isEqualTo("gfx1100");
    }

    @Test
    void withoutATargetOptionItCompilesForTheDefaultTarget() {
        CodeObject code = compiler.compile("vector_add.hip", VECTOR_ADD);
        assertThat(code.target()).isEqualTo(compiler.defaultTarget());
    }

    @Test
    void aSyntaxErrorThrowsWithTheFullCompileLog() {
        String broken = """
                extern "C" __global__ void broken(float* out) {
                    out[threadIdx.x] = undeclared_variable + ;
                }
                """;
        assertThatThrownBy(() -> compiler.compile("broken.hip", broken, List.of("--offload-arch=gfx90a")))
                .isInstanceOfSatisfying(KernelCompilationException.class, e -> {
                    assertThat(e.code()).isEqualTo(6);
                    assertThat(e.errorName()).isEqualTo("HIPRTC_ERROR_COMPILATION");
                    assertThat(e.call()).startsWith("hiprtcCompileProgram(broken.hip");
                    assertThat(e.log()).contains("2:24: error: use of undeclared identifier 'undeclared_variable'")
                            .contains("expected expression");
                    assertThat(e.getMessage()).contains(e.log());
                });
    }
}
