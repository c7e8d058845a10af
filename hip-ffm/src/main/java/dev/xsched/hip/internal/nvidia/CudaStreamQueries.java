package dev.xsched.hip.internal.nvidia;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * What an adopted {@code CUstream} is: its context ({@code cuStreamGetCtx}, CUDA 9.2) and priority
 * ({@code cuStreamGetPriority}, CUDA 5.5).
 *
 * <p>These two downcalls are written by hand only until the {@code cuda} bindings are regenerated:
 * both functions are listed in {@code jextract/cuda/includes.txt}, and once jextract has run this
 * class calls {@code CudaBindings} instead. The descriptors are those of {@code cuda.h} 13.0:
 * {@code CUresult cuStreamGetCtx(CUstream, CUcontext *)} and
 * {@code CUresult cuStreamGetPriority(CUstream, int *)}.
 */
final class CudaStreamQueries {
    /** The driver functions called here rather than through {@code CudaBindings}. */
    static final List<String> SYMBOLS = List.of("cuStreamGetCtx", "cuStreamGetPriority");

    private CudaStreamQueries() {
    }

    /** Resolved on first use, after the driver was loaded into the loader's lookup. */
    private static final class Handles {
        static final MethodHandle GET_CTX = downcall("cuStreamGetCtx");
        static final MethodHandle GET_PRIORITY = downcall("cuStreamGetPriority");

        private static MethodHandle downcall(String name) {
            return Linker.nativeLinker().downcallHandle(SymbolLookup.loaderLookup().findOrThrow(name),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        }
    }

    /** The stream's context; {@code hex} names the stream in a failure. */
    static MemorySegment context(MemorySegment stream, String hex) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            CudaCalls.check(invoke(Handles.GET_CTX, stream, out), "cuStreamGetCtx(adopted stream " + hex + ")");
            return out.get(ADDRESS, 0);
        }
    }

    /** The stream's priority; {@code hex} names the stream in a failure. */
    static int priority(MemorySegment stream, String hex) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            CudaCalls.check(invoke(Handles.GET_PRIORITY, stream, out), "cuStreamGetPriority(adopted stream " + hex + ")");
            return out.get(JAVA_INT, 0);
        }
    }

    private static int invoke(MethodHandle handle, MemorySegment stream, MemorySegment out) {
        try {
            return (int) handle.invokeExact(stream, out);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("a downcall threw a checked exception", t);
        }
    }
}
