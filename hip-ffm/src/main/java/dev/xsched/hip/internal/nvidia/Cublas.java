package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.Device;
import dev.xsched.hip.blas.BlasAvailability;
import dev.xsched.hip.blas.BlasException;
import dev.xsched.hip.blas.ComputeType;
import dev.xsched.hip.blas.DataType;
import dev.xsched.hip.blas.Transpose;
import dev.xsched.hip.internal.NativeLibraryLoader;
import dev.xsched.hip.internal.NativeStrings;
import dev.xsched.hip.internal.blas.BlasBackend;
import dev.xsched.hip.internal.blas.GemmCall;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.xsched.hip.internal.panama.cublas.CublasBindings.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * cuBLAS behind {@link dev.xsched.hip.blas.Blas} on the NVIDIA platform. The library is found like
 * NVRTC ({@link NvidiaLibraries#toolkitCandidates}) and loaded once per process; every function the
 * bindings call is checked at load time, so an old cuBLAS is reported up front. Every call makes the
 * device's primary context current first (cuBLAS works in the current context, the one hip-ffm's
 * memory and streams belong to).
 */
public final class Cublas {
    static final String PROPERTY = "xsched.cublas.library";
    static final String ENV = "XSCHED_CUBLAS_LIBRARY";
    static final List<String> NAMES = List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so");
    static final List<String> REQUIRED_SYMBOLS = List.of("cublasGetProperty", "cublasGetStatusName", "cublasGetStatusString",
            "cublasCreate_v2", "cublasDestroy_v2", "cublasSetStream_v2", "cublasSgemm_v2", "cublasSgemmStridedBatched",
            "cublasGemmEx", "cublasGemmStridedBatchedEx");
    private static final Map<GemmCall.Routine, String> ROUTINES = Map.of(GemmCall.Routine.SGEMM, "cublasSgemm", GemmCall.Routine.SGEMM_STRIDED_BATCHED, "cublasSgemmStridedBatched", GemmCall.Routine.GEMM_EX, "cublasGemmEx", GemmCall.Routine.GEMM_STRIDED_BATCHED_EX, "cublasGemmStridedBatchedEx");
    private static final int SUCCESS = CUBLAS_STATUS_SUCCESS();

    private Cublas() {
    }

    /** The library, loaded, or why not. */
    private record Library(Path path, String version, BlasAvailability availability) {
    }

    private static final class Loaded {
        static final Library LIBRARY = load();
    }

    private static Library load() {
        NativeLibraryLoader.Result result = NativeLibraryLoader.loadFirst(
                NvidiaLibraries.toolkitCandidates(PROPERTY, ENV, NAMES, System::getProperty, System::getenv), "cublasCreate_v2");
        List<String> attempts = new ArrayList<>(result.attempts());
        if (result.loaded().isEmpty()) {
            return new Library(null, null, new BlasAvailability("nvidia", "cuBLAS", false,
                    "cuBLAS (libcublas) was not found; install the CUDA toolkit's cuBLAS (or pip's nvidia-cublas), or set "
                            + ENV + "=/path/to/libcublas.so.13", attempts));
        }
        Path path = result.loaded().get();
        List<String> missing = REQUIRED_SYMBOLS.stream().filter(symbol -> !NativeLibraryLoader.isExported(path, symbol)).toList();
        if (!missing.isEmpty()) {
            return new Library(null, null, new BlasAvailability("nvidia", "cuBLAS", false,
                    path + " lacks " + String.join(", ", missing) + " (cuBLAS 11.4 or newer is needed)", attempts));
        }
        String version = "cuBLAS " + property(MAJOR_VERSION()) + "." + property(MINOR_VERSION()) + "." + property(PATCH_LEVEL());
        return new Library(path, version, new BlasAvailability("nvidia", "cuBLAS", true, version + " (" + path + ")", attempts));
    }

    private static int property(int type) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check(cublasGetProperty(type, out), "cublasGetProperty(" + type + ")");
            return out.get(JAVA_INT, 0);
        }
    }

    public static BlasAvailability probe() {
        return Loaded.LIBRARY.availability();
    }

    /** The backend for {@code device}, which must be a device of the NVIDIA platform. */
    public static BlasBackend backend(Device device) {
        if (!(device instanceof NvidiaDevice nvidia)) {
            throw new IllegalArgumentException("device " + device + " is not a device of the NVIDIA platform");
        }
        Library library = Loaded.LIBRARY;
        if (library.path() == null) {
            throw new IllegalStateException(library.availability().describe());
        }
        return new Backend(nvidia, library.version() + " (" + library.path() + ")");
    }

    private record Backend(NvidiaDevice device, String library) implements BlasBackend {
        @Override
        public Handle create(MemorySegment stream) {
            device.makeCurrent();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(ADDRESS);
                check(cublasCreate_v2(out), "cublasCreate(device=" + device.index() + ")");
                return new CublasHandle(device, out.get(ADDRESS, 0));
            }
        }
    }

    private record CublasHandle(NvidiaDevice device, MemorySegment handle) implements BlasBackend.Handle {
        @Override
        public void gemm(MemorySegment stream, GemmCall call) {
            device.makeCurrent();
            // Every time: cuBLAS keeps the stream per handle, and a stream's address can be reused.
            check(cublasSetStream_v2(handle, stream), "cublasSetStream");
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment alpha = call.alpha(arena), beta = call.beta(arena);
                MemorySegment a = call.a().pointer(), b = call.b().pointer(), c = call.c().pointer();
                int ta = op(call.transA()), tb = op(call.transB());
                int rc = switch (call.routine()) {
                    case SGEMM -> cublasSgemm_v2(handle, ta, tb, call.m(), call.n(), call.k(), alpha, a, call.a().ld(), b, call.b().ld(),
                            beta, c, call.c().ld());
                    case SGEMM_STRIDED_BATCHED -> cublasSgemmStridedBatched(handle, ta, tb, call.m(), call.n(), call.k(), alpha, a, call.a().ld(),
                            call.a().stride(), b, call.b().ld(), call.b().stride(), beta, c, call.c().ld(), call.c().stride(),
                            call.batchCount());
                    case GEMM_EX -> cublasGemmEx(handle, ta, tb, call.m(), call.n(), call.k(), alpha, a, type(call.a().type()), call.a().ld(),
                            b, type(call.b().type()), call.b().ld(), beta, c, type(call.c().type()), call.c().ld(),
                            compute(call.compute()), CUBLAS_GEMM_DEFAULT());
                    case GEMM_STRIDED_BATCHED_EX -> cublasGemmStridedBatchedEx(handle, ta, tb, call.m(), call.n(), call.k(), alpha,
                            a, type(call.a().type()), call.a().ld(), call.a().stride(),
                            b, type(call.b().type()), call.b().ld(), call.b().stride(), beta,
                            c, type(call.c().type()), call.c().ld(), call.c().stride(), call.batchCount(),
                            compute(call.compute()), CUBLAS_GEMM_DEFAULT());
                };
                if (rc != SUCCESS) {
                    throw failure(rc, call.describe(ROUTINES.get(call.routine())));
                }
            }
        }

        @Override
        public void destroy() {
            device.makeCurrent();
            check(cublasDestroy_v2(handle), "cublasDestroy(device=" + device.index() + ")");
        }
    }


    private static int op(Transpose transpose) {
        return switch (transpose) {
            case N -> CUBLAS_OP_N();
            case T -> CUBLAS_OP_T();
        };
    }

    private static int type(DataType type) {
        return switch (type) {
            case FP32 -> CUDA_R_32F();
            case FP16 -> CUDA_R_16F();
            case BF16 -> CUDA_R_16BF();
        };
    }

    private static int compute(ComputeType compute) {
        return switch (compute) {
            case FP32 -> CUBLAS_COMPUTE_32F();
            case TF32 -> CUBLAS_COMPUTE_32F_FAST_TF32();
            case BF16 -> CUBLAS_COMPUTE_32F_FAST_16BF();
            case FP16 -> CUBLAS_COMPUTE_16F();
        };
    }

    private static void check(int rc, String call) {
        if (rc != SUCCESS) {
            throw failure(rc, call);
        }
    }

    private static BlasException failure(int rc, String call) {
        return new BlasException(rc, NativeStrings.read(cublasGetStatusName(rc), "cublasStatus " + rc),
                NativeStrings.read(cublasGetStatusString(rc), "no description"), call);
    }
}
