package dev.xsched.hip.internal.amd;

import dev.xsched.hip.internal.panama.hipblas.HipblasBindings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which symbols serve hipBLAS's mixed-precision GEMMs (hipBLAS 2.x's {@code _v2} names, or hipBLAS
 * 3's plain names, chosen only where the soname says 3 or later), and that the descriptors
 * {@link HipblasGemmEx} calls them with are the generated ones. No hipBLAS is needed: the choice is
 * made from what a library exports and the name its file resolves to.
 */
class HipblasGemmExTest {
    private static final Set<String> HIPBLAS_2_EXPORTS = Set.of("hipblasGemmEx", "hipblasGemmStridedBatchedEx",
            "hipblasGemmEx_v2", "hipblasGemmStridedBatchedEx_v2");
    private static final Set<String> HIPBLAS_3_EXPORTS = Set.of("hipblasGemmEx", "hipblasGemmStridedBatchedEx");

    @Test
    void hipblas2UsesTheV2NamesTheBindingsWereGeneratedFrom(@TempDir Path lib) throws Exception {
        Path library = installed(lib, "libhipblas.so.2.2.0");
        HipblasGemmEx.Choice choice = HipblasGemmEx.choose(library, HIPBLAS_2_EXPORTS::contains);
        assertThat(choice.symbols()).isEqualTo(HipblasGemmEx.HIPBLAS_2);
        assertThat(choice.problem()).isNull();
    }

    @Test
    void hipblas3UsesThePlainNamesThatTookTheV2Signature(@TempDir Path lib) throws Exception {
        Path library = installed(lib, "libhipblas.so.3.0.0");
        HipblasGemmEx.Choice choice = HipblasGemmEx.choose(library, HIPBLAS_3_EXPORTS::contains);
        assertThat(choice.symbols()).isEqualTo(HipblasGemmEx.HIPBLAS_3);
        assertThat(HipblasGemmEx.sonameMajor(library)).hasValue(3);
    }

    @Test
    void thePlainNamesOfAnOlderHipblasAreNeverCalledWithTheNewCodes(@TempDir Path lib) throws Exception {
        // hipBLAS 1.x (ROCm 5.7) exports hipblasGemmEx, but with hipblasDatatype_t parameters.
        Path library = installed(lib, "libhipblas.so.1.1.0");
        HipblasGemmEx.Choice choice = HipblasGemmEx.choose(library, HIPBLAS_3_EXPORTS::contains);
        assertThat(choice.symbols()).isNull();
        assertThat(choice.problem()).contains("(hipBLAS 1.x)").contains("exports neither hipblasGemmEx_v2")
                .endsWith("gemmEx is unavailable, sgemm works");
    }

    @Test
    void aLibraryWhoseVersionCannotBeToldGetsNoGuess(@TempDir Path lib) throws Exception {
        Path library = Files.createFile(lib.resolve("libhipblas.so"));
        HipblasGemmEx.Choice choice = HipblasGemmEx.choose(library, HIPBLAS_3_EXPORTS::contains);
        assertThat(choice.symbols()).isNull();
        assertThat(choice.problem()).contains("no hipBLAS version in its file name libhipblas.so");
        assertThat(HipblasGemmEx.choose(installed(lib, "libhipblas.so.3.1.0"), Set.of("hipblasGemmEx")::contains).symbols())
                .as("both routines are needed").isNull();
    }

    @Test
    void theDescriptorsAreTheGeneratedOnesOfTheV2Functions() throws Exception {
        assertThat(HipblasGemmEx.GEMM_EX).isEqualTo(generated("hipblasGemmEx_v2"));
        assertThat(HipblasGemmEx.GEMM_STRIDED_BATCHED_EX).isEqualTo(generated("hipblasGemmStridedBatchedEx_v2"));
    }

    /** libhipblas.so -> libhipblas.so.N -> the versioned file, as a ROCm installation lays it out. */
    private static Path installed(Path lib, String file) throws Exception {
        Path real = Files.createFile(lib.resolve(file));
        String soname = file.substring(0, "libhipblas.so.".length() + 1);
        Path link = lib.resolve(soname);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, real.getFileName());
        Path dev = lib.resolve("libhipblas.so");
        Files.deleteIfExists(dev);
        return Files.createSymbolicLink(dev, link.getFileName());
    }

    /**
     * The descriptor jextract generated for {@code function}, read from the committed source: the
     * generated holder class cannot be touched here, since it looks its symbol up when initialised.
     */
    private static FunctionDescriptor generated(String function) throws Exception {
        String source = Files.readString(Path.of(
                "src/main/java/dev/xsched/hip/internal/panama/hipblas/HipblasBindings.java"));
        Matcher m = Pattern.compile("private static class " + function + " \\{\\s*public static final FunctionDescriptor DESC = "
                + "FunctionDescriptor\\.of\\((.*?)\\);", Pattern.DOTALL).matcher(source);
        assertThat(m.find()).as(function + " in the generated bindings").isTrue();
        List<MemoryLayout> layouts = new ArrayList<>();
        Matcher layout = Pattern.compile("HipblasBindings\\.(\\w+)").matcher(m.group(1));
        while (layout.find()) {
            layouts.add((MemoryLayout) HipblasBindings.class.getField(layout.group(1)).get(null));
        }
        return FunctionDescriptor.of(layouts.getFirst(), layouts.subList(1, layouts.size()).toArray(MemoryLayout[]::new));
    }
}
