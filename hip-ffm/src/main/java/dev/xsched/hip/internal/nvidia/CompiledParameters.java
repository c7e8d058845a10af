package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.ParamType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.CUDA_ERROR_INVALID_VALUE;
import static dev.xsched.hip.internal.panama.cuda.CudaBindings.cuFuncGetParamInfo;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Checks a kernel's declared signature against its parameters as compiled
 * ({@code cuFuncGetParamInfo}, CUDA 12.4 and newer). A launch passes the driver one pointer per
 * declared parameter and the driver copies as many bytes from each as the compiled parameter
 * takes: a declaration with fewer parameters than the kernel makes it read past the pointer
 * array, and one with a smaller type past the argument. Both are caught at the lookup, where
 * {@link dev.xsched.hip.Kernel#checkArgs} can only hold launches to the declaration.
 */
final class CompiledParameters {
    /**
     * More parameters than a kernel can have (32,764 bytes of them from CUDA 12.1; this bound holds
     * for parameters of 4 bytes): a driver that answered past it would keep the lookup in the loop.
     */
    private static final int MAX_PARAMETERS = 8192;
    /** {@link ParamType#INT}'s size, which also declares the parameters smaller than any type's (bool, char, short). */
    private static final int SMALLEST_DECLARABLE = ParamType.INT.byteSize();

    private CompiledParameters() {
    }

    /**
     * Throws unless {@code function} takes exactly the parameters declared, each of its declared
     * type's size. Call with the function's context current.
     *
     * @throws IllegalArgumentException naming the kernel, the declaration and the compiled sizes
     * @throws dev.xsched.hip.HipException if the driver fails otherwise
     */
    static void check(String kernel, List<ParamType> declared, MemorySegment function) {
        List<Long> compiled = sizes(kernel, function);
        boolean matches = compiled.size() == declared.size();
        for (int i = 0; matches && i < compiled.size(); i++) {
            matches = fits(declared.get(i), compiled.get(i));
        }
        if (!matches) {
            throw new IllegalArgumentException("kernel " + kernel + " is declared with " + declared.size()
                    + (declared.size() == 1 ? " parameter " : " parameters ") + declared + " (sizes "
                    + declared.stream().map(ParamType::byteSize).toList()
                    + " bytes), but was compiled with " + compiled.size() + " (sizes " + compiled + " bytes)"
                    + ": launches would hand the driver arguments unlike the kernel's; declare its parameters as in its source");
        }
    }

    /**
     * Whether an argument of the declared type serves the compiled parameter: the same size, or
     * {@link ParamType#INT} for a parameter smaller than it (the driver copies the parameter's size
     * from the argument, the low bytes on every platform hip-ffm runs on).
     */
    private static boolean fits(ParamType declared, long compiledSize) {
        return declared.byteSize() == compiledSize
                || (declared == ParamType.INT && compiledSize > 0 && compiledSize < SMALLEST_DECLARABLE);
    }

    /** The compiled parameters' sizes, in order. */
    private static List<Long> sizes(String kernel, MemorySegment function) {
        List<Long> sizes = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment offset = arena.allocate(JAVA_LONG);
            MemorySegment size = arena.allocate(JAVA_LONG);
            for (int index = 0; index < MAX_PARAMETERS; index++) {
                int rc = cuFuncGetParamInfo(function, index, offset, size);
                if (rc == CUDA_ERROR_INVALID_VALUE()) {
                    break; // past the last parameter
                }
                CudaCalls.check(rc, "cuFuncGetParamInfo(" + kernel + ", " + index + ")");
                sizes.add(size.get(JAVA_LONG, 0));
            }
        }
        return sizes;
    }
}
