package dev.xsched.hip.internal.amd;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.xsched.hip.internal.panama.hipblas.HipblasBindings.C_INT;
import static dev.xsched.hip.internal.panama.hipblas.HipblasBindings.C_LONG;
import static dev.xsched.hip.internal.panama.hipblas.HipblasBindings.C_POINTER;

/**
 * hipBLAS's mixed-precision GEMMs under the names the loaded library gives them. hipBLAS 2.x (ROCm 6)
 * exports them as {@code hipblasGemmEx_v2} and {@code hipblasGemmStridedBatchedEx_v2}, which the
 * bindings were generated from. hipBLAS 3.0 (ROCm 7) removed the {@code _v2} names and gave
 * {@code hipblasGemmEx} and {@code hipblasGemmStridedBatchedEx} the same signature ({@code hipDataType}
 * operands, a {@code hipblasComputeType_t}); before 3.0 those plain names take {@code hipblasDatatype_t}
 * codes, so they are called only where the library's soname says hipBLAS 3 or later. The generated
 * methods cannot serve the plain names (each looks up its own symbol), so the calls go through handles
 * made here from {@link #GEMM_EX} and {@link #GEMM_STRIDED_BATCHED_EX}, which restate the generated
 * descriptors of the {@code _v2} functions ({@code HipblasGemmExTest} compares them with the generated
 * source, and {@code jextract/check-abi.py} those with the headers).
 */
final class HipblasGemmEx {
    /** hipblasGemmEx_v2: handle, transA, transB, m, n, k, alpha, A, aType, lda, B, bType, ldb, beta, C, cType, ldc, computeType, algo. */
    static final FunctionDescriptor GEMM_EX = FunctionDescriptor.of(C_INT,
            C_POINTER, C_INT, C_INT, C_INT, C_INT, C_INT,
            C_POINTER, C_POINTER, C_INT, C_INT,
            C_POINTER, C_INT, C_INT,
            C_POINTER, C_POINTER, C_INT, C_INT,
            C_INT, C_INT);
    /** hipblasGemmStridedBatchedEx_v2: as {@link #GEMM_EX} with a stride after each leading dimension, then batchCount. */
    static final FunctionDescriptor GEMM_STRIDED_BATCHED_EX = FunctionDescriptor.of(C_INT,
            C_POINTER, C_INT, C_INT, C_INT, C_INT, C_INT,
            C_POINTER, C_POINTER, C_INT, C_INT, C_LONG,
            C_POINTER, C_INT, C_INT, C_LONG,
            C_POINTER, C_POINTER, C_INT, C_INT, C_LONG,
            C_INT, C_INT, C_INT);

    /** The two symbols that serve gemmEx in one hipBLAS generation. */
    record Symbols(String gemmEx, String stridedBatchedEx) {
    }

    static final Symbols HIPBLAS_2 = new Symbols("hipblasGemmEx_v2", "hipblasGemmStridedBatchedEx_v2");
    static final Symbols HIPBLAS_3 = new Symbols("hipblasGemmEx", "hipblasGemmStridedBatchedEx");

    private static final Pattern SONAME = Pattern.compile("libhipblas\\.so\\.(\\d+)(\\..*)?");

    /** The symbols to call, or ({@code symbols} null) why gemmEx is unavailable. */
    record Choice(Symbols symbols, String problem) {
    }

    /** The downcall handles of one library's mixed-precision GEMMs. */
    record Handles(Symbols symbols, MethodHandle gemmEx, MethodHandle stridedBatchedEx) {
    }

    private HipblasGemmEx() {
    }

    /** Which names serve gemmEx in {@code library}, given what it exports. */
    static Choice choose(Path library, Predicate<String> exported) {
        if (exported.test(HIPBLAS_2.gemmEx()) && exported.test(HIPBLAS_2.stridedBatchedEx())) {
            return new Choice(HIPBLAS_2, null);
        }
        OptionalInt major = sonameMajor(library);
        if (major.isPresent() && major.getAsInt() >= 3
                && exported.test(HIPBLAS_3.gemmEx()) && exported.test(HIPBLAS_3.stridedBatchedEx())) {
            return new Choice(HIPBLAS_3, null);
        }
        String version = major.isPresent() ? "hipBLAS " + major.getAsInt() + ".x"
                : "no hipBLAS version in its file name " + realName(library);
        return new Choice(null, library + " (" + version + ") exports neither " + HIPBLAS_2.gemmEx() + " and "
                + HIPBLAS_2.stridedBatchedEx() + " (hipBLAS 2.x) nor, as hipBLAS 3 or later, " + HIPBLAS_3.gemmEx()
                + " and " + HIPBLAS_3.stridedBatchedEx() + ": gemmEx is unavailable, sgemm works");
    }

    /** Handles to the chosen symbols in {@code library} (loaded already; it stays loaded). */
    static Handles bind(Path library, Symbols symbols) {
        SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
        Linker linker = Linker.nativeLinker();
        return new Handles(symbols,
                linker.downcallHandle(lookup.findOrThrow(symbols.gemmEx()), GEMM_EX),
                linker.downcallHandle(lookup.findOrThrow(symbols.stridedBatchedEx()), GEMM_STRIDED_BATCHED_EX));
    }

    /** The major version in the file name the library resolves to ({@code libhipblas.so.3.0.0} is 3). */
    static OptionalInt sonameMajor(Path library) {
        Matcher m = SONAME.matcher(realName(library));
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    private static String realName(Path library) {
        Path real;
        try {
            real = library.toRealPath();
        } catch (IOException e) {
            real = library;
        }
        Path name = real.getFileName();
        return name == null ? real.toString() : name.toString();
    }
}
