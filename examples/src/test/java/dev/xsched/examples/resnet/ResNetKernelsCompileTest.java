package dev.xsched.examples.resnet;

import dev.xsched.hip.Availability;
import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Hip;
import dev.xsched.hip.ParamType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernel source compiles with AMD's hiprtc, which needs no GPU, and the Java signatures match
 * the parameter lists in the source. (NVRTC compiles the same source on an NVIDIA host: the GPU
 * tests do that.) The TF32 tensor-core kernels are NVIDIA sm_80+ only: the gfx90a code object
 * holds every other kernel and none of them.
 */
class ResNetKernelsCompileTest {
    private static final Pattern KERNEL = Pattern.compile(
            "extern \"C\" __global__ void (?:__launch_bounds__\\([\\d, ]+\\)\\s+)?(\\w+)\\(([^)]*)\\)");

    @BeforeAll
    static void hiprtc() {
        Availability probe = Hip.load("amd");
        assumeTrue(probe.available(), () -> "AMD hiprtc (libamdhip64) is not installed here: " + probe.describe());
    }

    @Test
    void theSourceCompilesForGfx90aWithEveryFp32KernelInTheCodeObject() {
        CodeObject code = ResNetKernels.compile(Hip.open("amd").compiler(), "gfx90a");
        assertThat(code.target()).isEqualTo("gfx90a");
        String image = new String(code.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(ResNetKernels.signaturesFor("gfx90a").keySet()).allSatisfy(name -> assertThat(image).contains(name));
        assertThat(image).doesNotContain("conv2d_tf32");
    }

    /** The persistent twins with dynamic tile assignment (the max pool's is the one hiprtc compiles). */
    @Test
    void theSourceWithDynamicTileAssignmentCompilesForGfx90a() {
        CodeObject code = SystemProperties.restoring(ResNetKernels.PERSIST_DYNAMIC_PROPERTY, () -> {
            System.setProperty(ResNetKernels.PERSIST_DYNAMIC_PROPERTY, "true");
            assertThat(ResNetKernels.source()).contains("#define XSCHED_PERSIST_DYNAMIC 1\n");
            return ResNetKernels.compile(Hip.open("amd").compiler(), "gfx90a");
        });
        assertThat(new String(code.bytes(), StandardCharsets.ISO_8859_1)).contains(ResNetKernels.MAX_POOL_PERSIST);
    }

    @Test
    void onlyNvidiaSm80AndNewerGetTheTf32Kernels() {
        assertThat(ResNetKernels.signaturesFor("sm_90")).isEqualTo(ResNetKernels.SIGNATURES);
        assertThat(ResNetKernels.signaturesFor("sm_80")).containsKey("conv2d_tf32_128x128_yield");
        assertThat(ResNetKernels.signaturesFor("sm_75").keySet()).noneMatch(name -> name.contains("tf32"));
        assertThat(ResNetKernels.signaturesFor("gfx942").keySet()).noneMatch(name -> name.contains("tf32"))
                .contains("conv2d_igemm_128x128", "max_pool2d");
    }

    @Test
    void everyDeclaredSignatureMatchesTheSource() {
        Map<String, List<ParamType>> parsed = kernelsIn(ResNetKernels.source());
        assertThat(parsed).isEqualTo(ResNetKernels.SIGNATURES);
    }

    /**
     * No header and no vendor-only feature outside the TF32 file, and everything of the TF32 file
     * (inline PTX) behind its NVIDIA sm_80+ guard, so that hiprtc never sees it.
     */
    @Test
    void theSourceUsesNoHeaderAndNoVendorOnlyFeatureOutsideTheGuardedTf32Kernels() {
        String source = ResNetKernels.source().replaceAll("//[^\n]*", "");
        String guard = "#if defined(XSCHED_TC_EMULATED) || (defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800)";
        int tf32 = source.indexOf(guard);
        assertThat(tf32).as("the TF32 kernels' guard").isPositive();
        assertThat(source.substring(0, tf32))
                .doesNotContain("#include", "__shfl", "float4", "hip", "cuda", "warpSize", "asm");
        // Two atomics, the yield prelude's stop latch and the persistent twins' tile claims:
        // atomicExch and atomicAdd on an int are CUDA's and HIP's alike (and the CPU emulation
        // defines them); others may not be.
        assertThat(Pattern.compile("atomic\\w*").matcher(source.substring(0, tf32)).results().map(MatchResult::group).distinct())
                .as("atomics outside the TF32 kernels").containsExactlyInAnyOrder("atomicExch", "atomicAdd");
        assertThat(source.substring(tf32).strip()).endsWith("#endif").doesNotContain("#include");
        assertThat(source.substring(tf32 + guard.length()).strip().replace("#endif", "").contains("#if defined(XSCHED_TC"))
                .as("one guard").isFalse();
    }

    /** The parameters of each {@code extern "C" __global__} function, mapped to hip-ffm's types. */
    static Map<String, List<ParamType>> kernelsIn(String source) {
        Map<String, List<ParamType>> kernels = new LinkedHashMap<>();
        Matcher m = KERNEL.matcher(source.replaceAll("\\s+", " "));
        while (m.find()) {
            List<ParamType> params = new ArrayList<>();
            for (String p : m.group(2).split(",")) {
                String decl = p.strip();
                if (decl.equals("XSCHED_YIELD_PARAMS")) { // the three control pointers of YieldableKernels
                    params.addAll(List.of(ParamType.POINTER, ParamType.POINTER, ParamType.POINTER));
                    continue;
                }
                params.add(decl.contains("*") ? ParamType.POINTER
                        : decl.startsWith("int ") ? ParamType.INT
                        : decl.startsWith("long long ") ? ParamType.LONG
                        : decl.startsWith("float ") ? ParamType.FLOAT
                        : decl.startsWith("double ") ? ParamType.DOUBLE
                        : fail(decl));
            }
            kernels.put(m.group(1), params);
        }
        return kernels;
    }

    private static ParamType fail(String decl) {
        throw new AssertionError("unexpected parameter type: " + decl);
    }
}
