package dev.xsched.examples.resnet;

import dev.xsched.hip.Availability;
import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Hip;
import dev.xsched.hip.ParamType;
import dev.xsched.testsupport.ExternalCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * holds every other kernel and none of them. The matrix-core kernels ({@link MatrixCores}) are in
 * the gfx908 and gfx90a code objects only, and there they multiply with MFMA instructions.
 */
class ResNetKernelsCompileTest {
    private static final String LLVM_OBJDUMP = "/usr/bin/llvm-objdump-14";
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
        assertThat(ResNetKernels.signaturesFor("gfx90a").keySet()).allSatisfy(name -> assertThat(image).contains(name))
                .contains("conv2d_mfma_128x128", "conv2d_mfma_64x64_yield");
        assertThat(image).doesNotContain("conv2d_tf32");
    }

    /** Other AMD GPUs (here RDNA 2, without MFMA) get neither the TF32 nor the matrix-core kernels. */
    @Test
    void theSourceCompilesForGfx1030WithoutTheMatrixCoreKernels() {
        CodeObject code = ResNetKernels.compile(Hip.open("amd").compiler(), "gfx1030");
        String image = new String(code.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(ResNetKernels.signaturesFor("gfx1030").keySet()).allSatisfy(name -> assertThat(image).contains(name))
                .contains("conv2d_igemm_128x128").noneMatch(name -> name.contains("mfma") || name.contains("tf32"));
        assertThat(image).doesNotContain("conv2d_mfma", "conv2d_tf32");
    }

    /**
     * The matrix-core kernels of the gfx908 and gfx90a code objects multiply with
     * v_mfma_f32_16x16x4f32, and the FP32-core kernels beside them with none: LLVM's disassembler
     * (Debian's llvm-14, which .ci/install-native-deps installs) reads each kernel's instructions.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gfx908", "gfx90a"})
    void theMatrixCoreKernelsMultiplyWithMfmaInstructions(String target, @TempDir Path dir) throws Exception {
        Path objdump = Path.of(LLVM_OBJDUMP);
        assumeTrue(Files.isExecutable(objdump), LLVM_OBJDUMP + " (Debian's llvm-14) is not installed here to disassemble with");
        Path object = dir.resolve(target + ".co");
        Files.write(object, ResNetKernels.compile(Hip.open("amd").compiler(), target).bytes());
        ExternalCommand.Result disassembly = ExternalCommand.run(
                List.of(objdump.toString(), "-d", "--mcpu=" + target, object.toString()), dir, Duration.ofSeconds(60));
        assertThat(disassembly.exitCode()).as(disassembly.output()).isZero();
        Map<String, String> kernels = functions(disassembly.output());
        for (String kernel : List.of("conv2d_mfma_128x128", "conv2d_mfma_128x128_yield", "conv2d_mfma_64x64",
                "conv2d_mfma_64x64_yield")) {
            assertThat(kernels.get(kernel)).as(kernel).contains("v_mfma_f32_16x16x4f32");
        }
        assertThat(kernels.get("conv2d_igemm_128x128")).as("the FP32-core kernel").doesNotContain("v_mfma");
    }

    @Test
    void theMatrixCoreKernelsAreForGfx908AndGfx90aOnly() {
        assertThat(MatrixCores.supportedOn("gfx90a")).isTrue();
        assertThat(MatrixCores.supportedOn("gfx90a:sramecc+:xnack-")).isTrue();
        assertThat(MatrixCores.supportedOn("gfx908")).isTrue();
        assertThat(MatrixCores.supportedOn("gfx942")).as("this hiprtc cannot build it").isFalse();
        assertThat(MatrixCores.supportedOn("gfx1100")).isFalse();
        assertThat(MatrixCores.supportedOn("sm_90")).isFalse();
        assertThat(MatrixCores.supportedOn(null)).isFalse();
        assertThat(ResNetKernels.signaturesFor("gfx90a")).containsKeys("conv2d_mfma_128x128", "conv2d_mfma_64x64_yield");
        assertThat(ResNetKernels.signaturesFor("sm_90").keySet()).noneMatch(name -> name.contains("mfma"));
        assertThat(ResNetKernels.signaturesFor("sim").keySet()).noneMatch(name -> name.contains("mfma"));
    }

    /** The disassembly of each function of a code object, by name. */
    private static Map<String, String> functions(String disassembly) {
        Map<String, String> functions = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^[0-9a-f]+ <(\\w+)>:\n").matcher(disassembly);
        List<MatchResult> starts = m.results().toList();
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1).start() : disassembly.length();
            functions.put(starts.get(i).group(1), disassembly.substring(starts.get(i).end(), end));
        }
        return functions;
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
        assertThat(ResNetKernels.signaturesFor("sm_90").keySet()).containsAll(ResNetKernels.SIGNATURES.keySet().stream()
                .filter(name -> !name.contains("mfma")).toList());
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
     * No header and no vendor-only feature outside the TF32 and matrix-core files: everything of the
     * TF32 file (inline PTX) behind its NVIDIA sm_80+ guard, so that hiprtc never sees it, and the
     * matrix-core file last, behind its gfx908/gfx90a guard, with one AMD builtin and nothing of
     * NVIDIA's, so that NVRTC never sees it.
     */
    @Test
    void theSourceUsesNoHeaderAndNoVendorOnlyFeatureOutsideTheGuardedTf32AndMatrixCoreKernels() {
        String whole = ResNetKernels.source().replaceAll("//[^\n]*", "");
        String mfmaGuard = "#if defined(XSCHED_MFMA_EMULATED) || defined(__gfx908__) || defined(__gfx90a__)";
        int mfma = whole.indexOf(mfmaGuard);
        assertThat(mfma).as("the matrix-core kernels' guard").isPositive();
        String matrixCores = whole.substring(mfma + mfmaGuard.length()).strip();
        assertThat(matrixCores).as("conv_mfma.hip, last, in its guard").endsWith("#endif")
                .doesNotContain("#include", "asm", "__CUDA_ARCH__");
        assertThat(Pattern.compile("__builtin_\\w+").matcher(matrixCores).results().map(MatchResult::group).distinct())
                .as("the one AMD builtin").containsExactly("__builtin_amdgcn_mfma_f32_16x16x4f32");
        String source = whole.substring(0, mfma);
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
