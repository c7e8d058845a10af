package dev.xsched.hip.internal.blas;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.blas.ComputeType;
import dev.xsched.hip.blas.DataType;
import dev.xsched.hip.blas.Transpose;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One GEMM, C = alpha * op(A) * op(B) + beta * C on column-major matrices, checked completely when
 * it is made: a bad argument is an {@link IllegalArgumentException} on the submitting thread, before
 * anything is queued, never a library error or a fault on the device. A plain GEMM is a batch of one.
 *
 * @param compute null for the FP32 routines ({@code Sgemm}), else the mixed-precision ({@code GemmEx}) compute type
 * @param batched whether the strided-batched routine is called (with {@code batchCount} and the strides)
 */
public record GemmCall(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                       Operand a, Operand b, float beta, Operand c, ComputeType compute, boolean batched, int batchCount) {

    /** Which library routine runs the call (the names are cuBLAS's; hipBLAS has the same four). */
    public enum Routine {
        /** {@code cublasSgemm}. */
        SGEMM,
        /** {@code cublasSgemmStridedBatched}. */
        SGEMM_STRIDED_BATCHED,
        /** {@code cublasGemmEx}. */
        GEMM_EX,
        /** {@code cublasGemmStridedBatchedEx}. */
        GEMM_STRIDED_BATCHED_EX
    }

    public Routine routine() {
        if (compute == null) {
            return batched ? Routine.SGEMM_STRIDED_BATCHED : Routine.SGEMM;
        }
        return batched ? Routine.GEMM_STRIDED_BATCHED_EX : Routine.GEMM_EX;
    }

    /** A matrix argument: its memory, element type, leading dimension and (batched) stride in elements. */
    public record Operand(String name, DeviceMemory memory, DataType type, int ld, long stride) {
        /** The device address, as the libraries take it. */
        public MemorySegment pointer() {
            return MemorySegment.ofAddress(memory.address());
        }
    }

    /** alpha in host memory, as the compute type reads it (FP16 for {@link ComputeType#FP16}, else FP32). */
    public MemorySegment alpha(Arena arena) {
        return scalar(arena, alpha);
    }

    /** beta in host memory, as the compute type reads it. */
    public MemorySegment beta(Arena arena) {
        return scalar(arena, beta);
    }

    private MemorySegment scalar(Arena arena, float value) {
        return compute == ComputeType.FP16 ? arena.allocateFrom(JAVA_SHORT, Float.floatToFloat16(value))
                : arena.allocateFrom(JAVA_FLOAT, value);
    }

    public GemmCall {
        Objects.requireNonNull(transA, "transA");
        Objects.requireNonNull(transB, "transB");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("m, n and k must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (batchCount < 1) {
            throw new IllegalArgumentException("batchCount must be >= 1, got " + batchCount);
        }
        if (!batched && batchCount != 1) {
            throw new IllegalArgumentException("an unbatched GEMM has batchCount 1, got " + batchCount);
        }
        if (compute != null && !compute.accepts(a.type(), b.type(), c.type())) {
            throw new IllegalArgumentException("compute type " + compute + " takes " + compute.accepted() + "; got A "
                    + a.type() + ", B " + b.type() + ", C " + c.type());
        }
        if (compute == null && (a.type() != DataType.FP32 || b.type() != DataType.FP32 || c.type() != DataType.FP32)) {
            throw new IllegalArgumentException("sgemm takes FP32 matrices; use gemmEx for " + a.type() + "/" + b.type() + "/" + c.type());
        }
        int aRows = transA == Transpose.N ? m : k, aCols = transA == Transpose.N ? k : m;
        int bRows = transB == Transpose.N ? k : n, bCols = transB == Transpose.N ? n : k;
        check(a, aRows, aCols, batchCount, batched);
        check(b, bRows, bCols, batchCount, batched);
        check(c, m, n, batchCount, batched);
        if (batched && batchCount > 1 && c.stride() < (long) c.ld() * n) {
            throw new IllegalArgumentException("strideC " + c.stride() + " < ldc * n = " + (long) c.ld() * n
                    + ": the batch's C matrices would overlap and race");
        }
        long cElements = elements(c, m, n, batchCount);
        if (overlaps(a, elements(a, aRows, aCols, batchCount), c, cElements)
                || overlaps(b, elements(b, bRows, bCols, batchCount), c, cElements)) {
            throw new IllegalArgumentException("C overlaps A or B: a GEMM cannot write its own input");
        }
    }

    private static void check(Operand x, int rows, int cols, int batchCount, boolean batched) {
        Objects.requireNonNull(x.memory(), x.name());
        Objects.requireNonNull(x.type(), x.name() + " type");
        if (!x.memory().isOpen()) {
            throw new IllegalStateException("the buffer of " + x.name() + " is closed");
        }
        if (x.ld() < Math.max(1, rows)) {
            throw new IllegalArgumentException("ld" + x.name().toLowerCase() + " = " + x.ld() + " < max(1, " + rows
                    + "), the rows of " + x.name() + " as stored (column-major)");
        }
        if (x.stride() < 0) {
            throw new IllegalArgumentException("stride" + x.name() + " must be >= 0, got " + x.stride());
        }
        if (!batched && x.stride() != 0) {
            throw new IllegalArgumentException("an unbatched GEMM has no strides");
        }
        if (x.memory().address() % x.type().bytes() != 0) {
            throw new IllegalArgumentException(x.name() + " at 0x" + Long.toHexString(x.memory().address())
                    + " is not aligned to its " + x.type() + " elements (" + x.type().bytes() + " bytes)");
        }
        long needed = bytesSpanned(x, rows, cols, batchCount);
        if (needed > x.memory().byteSize()) {
            throw new IllegalArgumentException(x.name() + " needs " + needed + " bytes (" + rows + " x " + cols + " " + x.type()
                    + ", ld " + x.ld() + (batchCount > 1 ? ", " + batchCount + " matrices " + x.stride() + " elements apart" : "")
                    + ") but its memory holds " + x.memory().byteSize());
        }
    }

    /**
     * The bytes {@code x} spans; an overflow (a leading dimension or stride no memory could hold) is
     * a bad argument like any other, as Blas promises, not an ArithmeticException.
     */
    private static long bytesSpanned(Operand x, int rows, int cols, int batchCount) {
        try {
            return Math.multiplyExact(elements(x, rows, cols, batchCount), x.type().bytes());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(x.name() + " would span more than " + Long.MAX_VALUE + " bytes (" + rows
                    + " x " + cols + " " + x.type() + ", ld " + x.ld() + ", " + batchCount + " matrices " + x.stride()
                    + " elements apart)", e);
        }
    }

    /** Elements spanned from the first one of the first matrix to the last one of the last matrix. */
    private static long elements(Operand x, int rows, int cols, int batchCount) {
        if (rows == 0 || cols == 0) {
            return 0;
        }
        long one = Math.addExact(Math.multiplyExact((long) cols - 1, x.ld()), rows);
        return Math.addExact(Math.multiplyExact((long) batchCount - 1, x.stride()), one);
    }

    private static boolean overlaps(Operand x, long xElements, Operand c, long cElements) {
        if (xElements == 0 || cElements == 0) {
            return false;
        }
        long xStart = x.memory().address(), xEnd = xStart + xElements * x.type().bytes();
        long cStart = c.memory().address(), cEnd = cStart + cElements * c.type().bytes();
        return xStart < cEnd && cStart < xEnd;
    }

    /** Throws unless every matrix lies on {@code device} and is still allocated (checked again at release). */
    public void checkMemory(Device device) {
        for (Operand x : new Operand[] {a, b, c}) {
            if (!x.memory().isOpen()) {
                throw new IllegalStateException("the buffer of " + x.name() + " was closed before the GEMM ran");
            }
            if (x.memory().buffer().device() != device) {
                throw new IllegalArgumentException(x.name() + " lies on device " + x.memory().buffer().device().index()
                        + " of " + x.memory().buffer().device().platform().name() + ", the BLAS handle on device "
                        + device.index() + " of " + device.platform().name());
            }
        }
    }

    /** The call for messages: {@code routine(N, T, m=.., n=.., k=.., lda=.., ...)}. */
    public String describe(String routine) {
        StringBuilder s = new StringBuilder(routine).append('(').append(transA).append(", ").append(transB)
                .append(", m=").append(m).append(", n=").append(n).append(", k=").append(k)
                .append(", lda=").append(a.ld()).append(", ldb=").append(b.ld()).append(", ldc=").append(c.ld());
        if (compute != null) {
            s.append(", ").append(a.type()).append(" x ").append(b.type()).append(" -> ").append(c.type())
                    .append(", compute ").append(compute);
        }
        if (batched) {
            s.append(", strides ").append(a.stride()).append('/').append(b.stride()).append('/').append(c.stride())
                    .append(", batch=").append(batchCount);
        }
        return s.append(')').toString();
    }
}
