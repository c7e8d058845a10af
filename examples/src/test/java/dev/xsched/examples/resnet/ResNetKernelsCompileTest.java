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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernel source compiles with AMD's hiprtc, which needs no GPU, and the Java signatures match
 * the parameter lists in the source. (NVRTC compiles the same source on an NVIDIA host: the GPU
 * tests do that.)
 */
class ResNetKernelsCompileTest {
    private static final Pattern KERNEL = Pattern.compile(
            "extern \"C\" __global__ void (?:__launch_bounds__\\(\\d+\\)\\s+)?(\\w+)\\(([^)]*)\\)");

    @BeforeAll
    static void hiprtc() {
        Availability probe = Hip.load("amd");
        assumeTrue(probe.available(), () -> "AMD hiprtc (libamdhip64) is not installed here: " + probe.describe());
    }

    @Test
    void theSourceCompilesForGfx90aWithEveryKernelInTheCodeObject() {
        CodeObject code = ResNetKernels.compile(Hip.open("amd").compiler(), "gfx90a");
        assertThat(code.target()).isEqualTo("gfx90a");
        String image = new String(code.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(ResNetKernels.SIGNATURES.keySet()).allSatisfy(name -> assertThat(image).contains(name));
    }

    @Test
    void everyDeclaredSignatureMatchesTheSource() {
        Map<String, List<ParamType>> parsed = kernelsIn(ResNetKernels.source());
        assertThat(parsed).isEqualTo(ResNetKernels.SIGNATURES);
    }

    @Test
    void theSourceUsesNoHeaderAndNoVendorOnlyFeature() {
        String code = ResNetKernels.source().replaceAll("//[^\n]*", "");
        assertThat(code).doesNotContain("#include", "__shfl", "float4", "hip", "cuda", "warpSize", "atomic");
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
