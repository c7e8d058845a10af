package dev.xsched.hip.internal.amd;

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
import java.util.List;

import static dev.xsched.hip.internal.panama.hipblas.HipblasBindings.*;
import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * hipBLAS behind {@link dev.xsched.hip.blas.Blas} on the AMD platform (bindings from hipBLAS 2.2.0,
 * ROCm 6.2.4). The FP32 routines have kept their signatures since ROCm 5. The mixed-precision ones
 * are hipBLAS 2.x's {@code hipblasGemmEx_v2} and {@code hipblasGemmStridedBatchedEx_v2}, which
 * hipBLAS 3.0 (ROCm 7) renamed to {@code hipblasGemmEx} and {@code hipblasGemmStridedBatchedEx}
 * ({@link HipblasGemmEx} picks the names); a library with neither (ROCm 5) is still used for the FP32
 * routines, and {@code gemmEx} then says what is missing. BF16 matrices are not bound (the HIP headers the
 * bindings were made with lack {@code HIP_R_16BF}). Every call selects the device on the calling
 * thread first ({@code hipSetDevice}).
 */
public final class Hipblas {
    static final String PROPERTY = "xsched.hipblas.library";
    static final String ENV = "XSCHED_HIPBLAS_LIBRARY";
    static final List<String> NAMES = List.of("libhipblas.so.2", "libhipblas.so.3", "libhipblas.so.1", "libhipblas.so");
    static final List<String> REQUIRED_SYMBOLS = List.of("hipblasStatusToString", "hipblasCreate", "hipblasDestroy",
            "hipblasSetStream", "hipblasSgemm", "hipblasSgemmStridedBatched");
    private static final int SUCCESS = HIPBLAS_STATUS_SUCCESS();

    private Hipblas() {
    }

    /** The library, loaded, or why not; {@code gemmEx} is null when the mixed-precision routines are not there, and {@code gemmExProblem} says why. */
    private record Library(Path path, HipblasGemmEx.Handles gemmEx, String gemmExProblem, BlasAvailability availability) {
    }

    private static final class Loaded {
        static final Library LIBRARY = load();
    }

    private static Library load() {
        NativeLibraryLoader.Result result = NativeLibraryLoader.loadFirst(
                AmdPlatformProvider.rocmCandidates(PROPERTY, ENV, NAMES), "hipblasCreate");
        if (result.loaded().isEmpty()) {
            return new Library(null, null, null, new BlasAvailability("amd", "hipBLAS", false,
                    "hipBLAS (libhipblas) was not found; install ROCm's hipblas package (Debian 12 does not package it), or set "
                            + ENV + "=/path/to/libhipblas.so.2", result.attempts()));
        }
        Path path = result.loaded().get();
        List<String> missing = REQUIRED_SYMBOLS.stream().filter(s -> !NativeLibraryLoader.isExported(path, s)).toList();
        if (!missing.isEmpty()) {
            return new Library(null, null, null, new BlasAvailability("amd", "hipBLAS", false,
                    path + " lacks " + String.join(", ", missing), result.attempts()));
        }
        HipblasGemmEx.Choice choice = HipblasGemmEx.choose(path, symbol -> NativeLibraryLoader.isExported(path, symbol));
        HipblasGemmEx.Handles gemmEx = choice.symbols() == null ? null : HipblasGemmEx.bind(path, choice.symbols());
        String gemmExNote = gemmEx == null ? "; " + choice.problem() : "; gemmEx through " + gemmEx.symbols().gemmEx();
        return new Library(path, gemmEx, choice.problem(), new BlasAvailability("amd", "hipBLAS", true,
                "hipBLAS (" + path + ")" + gemmExNote, result.attempts()));
    }

    public static BlasAvailability probe() {
        return Loaded.LIBRARY.availability();
    }

    /** The backend for {@code device}, which must be a device of the AMD platform. */
    public static BlasBackend backend(Device device) {
        if (!(device instanceof AmdDevice amd)) {
            throw new IllegalArgumentException("device " + device + " is not a device of the AMD platform");
        }
        Library library = Loaded.LIBRARY;
        if (library.path() == null) {
            throw new IllegalStateException(library.availability().describe());
        }
        return new Backend(amd, "hipBLAS (" + library.path() + ")", library.gemmEx(), library.gemmExProblem());
    }

    private record Backend(AmdDevice device, String library, HipblasGemmEx.Handles gemmEx, String gemmExProblem)
            implements BlasBackend {
        @Override
        public void checkSupported(GemmCall call) {
            if (call.compute() != null && gemmEx == null) {
                throw new UnsupportedOperationException(gemmExProblem);
            }
            for (GemmCall.Operand x : List.of(call.a(), call.b(), call.c())) {
                if (x.type() == DataType.BF16) {
                    throw new UnsupportedOperationException("BF16 matrices are not bound for hipBLAS (the HIP headers of "
                            + "the bindings lack HIP_R_16BF); use FP32 or FP16, or ComputeType.BF16 on FP32 data");
                }
            }
        }

        @Override
        public Handle create(MemorySegment stream) {
            device.makeCurrent();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(ADDRESS);
                check(hipblasCreate(out), "hipblasCreate(device=" + device.index() + ")");
                return new HipblasHandle(device, out.get(ADDRESS, 0), gemmEx);
            }
        }
    }

    private record HipblasHandle(AmdDevice device, MemorySegment handle, HipblasGemmEx.Handles gemmEx)
            implements BlasBackend.Handle {
        @Override
        public void gemm(MemorySegment stream, GemmCall call) {
            device.makeCurrent();
            check(hipblasSetStream(handle, stream), "hipblasSetStream");
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment alpha = call.alpha(arena), beta = call.beta(arena);
                MemorySegment a = call.a().pointer(), b = call.b().pointer(), c = call.c().pointer();
                int ta = op(call.transA()), tb = op(call.transB());
                int rc = switch (call.routine()) {
                    case SGEMM -> hipblasSgemm(handle, ta, tb, call.m(), call.n(), call.k(), alpha, a, call.a().ld(), b, call.b().ld(),
                            beta, c, call.c().ld());
                    case SGEMM_STRIDED_BATCHED -> hipblasSgemmStridedBatched(handle, ta, tb, call.m(), call.n(), call.k(), alpha, a, call.a().ld(),
                            call.a().stride(), b, call.b().ld(), call.b().stride(), beta, c, call.c().ld(), call.c().stride(),
                            call.batchCount());
                    case GEMM_EX -> downcall(() -> (int) gemmEx.gemmEx().invokeExact(handle, ta, tb, call.m(), call.n(), call.k(),
                            alpha, a, type(call.a().type()), call.a().ld(), b, type(call.b().type()), call.b().ld(),
                            beta, c, type(call.c().type()), call.c().ld(), compute(call.compute()), HIPBLAS_GEMM_DEFAULT()));
                    case GEMM_STRIDED_BATCHED_EX -> downcall(() -> (int) gemmEx.stridedBatchedEx().invokeExact(handle, ta, tb,
                            call.m(), call.n(), call.k(), alpha,
                            a, type(call.a().type()), call.a().ld(), call.a().stride(),
                            b, type(call.b().type()), call.b().ld(), call.b().stride(), beta,
                            c, type(call.c().type()), call.c().ld(), call.c().stride(), call.batchCount(),
                            compute(call.compute()), HIPBLAS_GEMM_DEFAULT()));
                };
                if (rc != SUCCESS) {
                    throw failure(rc, call.describe(routine(call.routine())));
                }
            }
        }

        private String routine(GemmCall.Routine routine) {
            return switch (routine) {
                case SGEMM -> "hipblasSgemm";
                case SGEMM_STRIDED_BATCHED -> "hipblasSgemmStridedBatched";
                case GEMM_EX -> gemmEx.symbols().gemmEx();
                case GEMM_STRIDED_BATCHED_EX -> gemmEx.symbols().stridedBatchedEx();
            };
        }

        @Override
        public void destroy() {
            device.makeCurrent();
            check(hipblasDestroy(handle), "hipblasDestroy(device=" + device.index() + ")");
        }
    }

    /** A call through a downcall handle made by {@link HipblasGemmEx}: such a handle throws nothing checked. */
    private interface Downcall {
        int invoke() throws Throwable;
    }

    private static int downcall(Downcall call) {
        try {
            return call.invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("a downcall handle threw a checked exception", t);
        }
    }

    private static int op(Transpose transpose) {
        return switch (transpose) {
            case N -> HIPBLAS_OP_N();
            case T -> HIPBLAS_OP_T();
        };
    }

    private static int type(DataType type) {
        return switch (type) {
            case FP32 -> HIP_R_32F();
            case FP16 -> HIP_R_16F();
            case BF16 -> throw new UnsupportedOperationException("BF16 matrices are not bound for hipBLAS");
        };
    }

    private static int compute(ComputeType compute) {
        return switch (compute) {
            case FP32 -> HIPBLAS_COMPUTE_32F();
            case TF32 -> HIPBLAS_COMPUTE_32F_FAST_TF32();
            case BF16 -> HIPBLAS_COMPUTE_32F_FAST_16BF();
            case FP16 -> HIPBLAS_COMPUTE_16F();
        };
    }

    private static void check(int rc, String call) {
        if (rc != SUCCESS) {
            throw failure(rc, call);
        }
    }

    private static BlasException failure(int rc, String call) {
        String name = NativeStrings.read(hipblasStatusToString(rc), "hipblasStatus " + rc);
        return new BlasException(rc, name, "hipBLAS status " + name, call);
    }
}
