package dev.xsched.hip.blas;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Stream;
import dev.xsched.hip.internal.amd.Hipblas;
import dev.xsched.hip.internal.blas.BlasBackend;
import dev.xsched.hip.internal.blas.GemmCall;
import dev.xsched.hip.internal.blas.GemmCall.Operand;
import dev.xsched.hip.internal.nvidia.Cublas;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The vendor BLAS of one device, cuBLAS on NVIDIA and hipBLAS on AMD, with its calls submitted to
 * any {@link CommandQueue}: a plain {@link Stream}, or an XQueue that gates them like its other
 * commands. Each call becomes one {@link dev.xsched.hip.StreamWork}: when the queue releases it, on
 * the queue's issuing thread, the library is bound to the queue's stream ({@code cublasSetStream})
 * and the routine is enqueued there, ordered with the queue's copies and kernels. The calls are
 * asynchronous; read results after {@code queue.synchronize()} or an event.
 *
 * <p><b>Matrices are column-major</b>, as in every BLAS: element (i, j) of a matrix with leading
 * dimension {@code ld} lies at index {@code i + j * ld}; {@code ld} is at least the number of rows
 * as stored. A row-major program computes C<sup>T</sup> = B<sup>T</sup> A<sup>T</sup> instead
 * (swap A and B, and m and n). Every call computes C = alpha * op(A) * op(B) + beta * C with op(A)
 * of m x k, op(B) of k x n and C of m x n.
 *
 * <p>Arguments are checked on the submitting thread before anything is queued (shapes, leading
 * dimensions, that every matrix fits its memory, alignment, types, that C overlaps no input): a
 * mistake is an {@link IllegalArgumentException} there, never a library error or a device fault.
 * A library failure at release time is a {@link BlasException} with the status name and the call;
 * on an XQueue it fails the queue with that cause.
 *
 * <p>Thread-safe: one {@code Blas} serves any number of queues and threads. It keeps one native
 * handle per stream it has run on (created on first use, on the issuing thread), so work on
 * different streams never shares a library workspace. Close it after the queues that used it are
 * synchronized; later calls throw {@link IllegalStateException}.
 */
public final class Blas implements AutoCloseable {
    private final Device device;
    private final BlasBackend backend;
    private final Map<Long, BlasBackend.Handle> handles = new HashMap<>();
    private boolean closed;

    private Blas(Device device, BlasBackend backend) {
        this.device = device;
        this.backend = backend;
    }

    /**
     * Opens the BLAS library of {@code device}'s platform: cuBLAS on {@code nvidia}, hipBLAS on
     * {@code amd}. The library is found as {@link #probe(String)} describes, and loaded once per
     * process. No native handle is made yet: each is made on the first call that runs on a stream.
     *
     * @param device the device whose matrices the calls take
     * @return a BLAS object owned by the caller (close it)
     * @throws IllegalStateException         if the library cannot be loaded (the message names every place tried)
     * @throws UnsupportedOperationException on a platform without a BLAS library (the simulated one)
     */
    public static Blas open(Device device) {
        Objects.requireNonNull(device, "device");
        BlasBackend backend = switch (device.platform().name()) {
            case "nvidia" -> Cublas.backend(device);
            case "amd" -> Hipblas.backend(device);
            default -> throw new UnsupportedOperationException("platform '" + device.platform().name()
                    + "' has no BLAS library (cuBLAS needs the nvidia platform, hipBLAS the amd one)");
        };
        return new Blas(device, backend);
    }

    /**
     * Whether the BLAS library of a platform can be loaded, without opening the platform; never
     * throws. cuBLAS ({@code nvidia}) is looked for in: system property {@code xsched.cublas.library},
     * then {@code $XSCHED_CUBLAS_LIBRARY} (a file or a folder); {@code $CUDA_PATH/lib64},
     * {@code $CUDA_HOME/lib64}, {@code /usr/local/cuda/lib64}, {@code /usr/local/cuda/targets/x86_64-linux/lib},
     * the toolkit of the first {@code nvcc} on {@code PATH}; the system loader ({@code libcublas.so.13},
     * {@code .so.12}, {@code .so}). hipBLAS ({@code amd}): {@code xsched.hipblas.library},
     * {@code $XSCHED_HIPBLAS_LIBRARY}, {@code $ROCM_PATH/lib}, {@code /opt/rocm/lib}, the system loader
     * ({@code libhipblas.so.2}, {@code .so.3}, {@code .so.1}, {@code .so}).
     *
     * @param platform a platform name: {@code nvidia}, {@code amd}; any other is unavailable
     * @return whether the library can be loaded, its version and file, and every place tried
     */
    public static BlasAvailability probe(String platform) {
        Objects.requireNonNull(platform, "platform");
        return switch (platform) {
            case "nvidia" -> Cublas.probe();
            case "amd" -> Hipblas.probe();
            default -> new BlasAvailability(platform, "BLAS", false,
                    "the " + platform + " platform has no BLAS library", List.of());
        };
    }

    /**
     * The device whose matrices this object's calls take.
     *
     * @return the device given to {@link #open(Device)}
     */
    public Device device() {
        return device;
    }

    /**
     * The library in use.
     *
     * @return its name, version and file, for example
     *         {@code cuBLAS 13.0.2 (/usr/local/cuda/lib64/libcublas.so.13)}
     */
    public String library() {
        return backend.library();
    }

    /**
     * FP32 GEMM ({@code cublasSgemm}, {@code hipblasSgemm}): C = alpha * op(A) * op(B) + beta * C,
     * column-major. One command on {@code queue}, asynchronous.
     *
     * @param queue  the queue to submit to: a stream of this object's device, or a scheduled
     *               queue over one
     * @param transA whether op(A) is A or A<sup>T</sup>
     * @param transB whether op(B) is B or B<sup>T</sup>
     * @param m      rows of op(A) and C, {@code >= 0}
     * @param n      columns of op(B) and C, {@code >= 0}
     * @param k      columns of op(A) and rows of op(B), {@code >= 0}
     * @param alpha  the scale of the product
     * @param a      A, FP32, m x k (k x m when transposed) as stored
     * @param lda    leading dimension of A in elements, at least the rows of A as stored
     * @param b      B, FP32
     * @param ldb    leading dimension of B in elements, at least the rows of B as stored
     * @param beta   the scale of C's old value; with 0, C is not read (it may hold NaNs)
     * @param c      C, FP32, overlapping neither A nor B
     * @param ldc    leading dimension of C in elements, {@code >= max(1, m)}
     * @throws IllegalArgumentException if a shape, leading dimension or alignment is wrong, a
     *                                  matrix does not fit its memory, C overlaps an input, or a
     *                                  matrix lies on another device
     * @throws IllegalStateException    if this object or a matrix's buffer is closed
     */
    public void sgemm(CommandQueue queue, Transpose transA, Transpose transB, int m, int n, int k,
                      float alpha, DeviceMemory a, int lda, DeviceMemory b, int ldb,
                      float beta, DeviceMemory c, int ldc) {
        submit(queue, new GemmCall(transA, transB, m, n, k, alpha, operand("A", a, DataType.FP32, lda, 0),
                operand("B", b, DataType.FP32, ldb, 0), beta, operand("C", c, DataType.FP32, ldc, 0), null, false, 1));
    }

    /**
     * {@code batchCount} FP32 GEMMs whose matrices lie {@code stride} elements apart
     * ({@code cublasSgemmStridedBatched}, {@code hipblasSgemmStridedBatched}); a stride of 0 reuses
     * one A or B for every product. One command on {@code queue}, asynchronous.
     *
     * @param queue      the queue to submit to: a stream of this object's device, or a scheduled
     *                   queue over one
     * @param transA     whether op(A) is A or A<sup>T</sup>
     * @param transB     whether op(B) is B or B<sup>T</sup>
     * @param m          rows of op(A) and C, {@code >= 0}
     * @param n          columns of op(B) and C, {@code >= 0}
     * @param k          columns of op(A) and rows of op(B), {@code >= 0}
     * @param alpha      the scale of the product
     * @param a          the first A, FP32
     * @param lda        leading dimension of every A in elements
     * @param strideA    elements from one A to the next, {@code >= 0}
     * @param b          the first B, FP32
     * @param ldb        leading dimension of every B in elements
     * @param strideB    elements from one B to the next, {@code >= 0}
     * @param beta       the scale of C's old value
     * @param c          the first C, FP32, overlapping no A or B
     * @param ldc        leading dimension of every C in elements
     * @param strideC    elements from one C to the next, at least {@code ldc * n} when
     *                   {@code batchCount > 1} (the Cs must not overlap)
     * @param batchCount the number of products, {@code >= 1}
     * @throws IllegalArgumentException if a shape, stride or alignment is wrong, the batch does
     *                                  not fit the memory, the Cs overlap each other or an
     *                                  input, or a matrix lies on another device
     * @throws IllegalStateException    if this object or a matrix's buffer is closed
     */
    public void sgemmStridedBatched(CommandQueue queue, Transpose transA, Transpose transB, int m, int n, int k,
                                    float alpha, DeviceMemory a, int lda, long strideA, DeviceMemory b, int ldb, long strideB,
                                    float beta, DeviceMemory c, int ldc, long strideC, int batchCount) {
        submit(queue, new GemmCall(transA, transB, m, n, k, alpha, operand("A", a, DataType.FP32, lda, strideA),
                operand("B", b, DataType.FP32, ldb, strideB), beta, operand("C", c, DataType.FP32, ldc, strideC),
                null, true, batchCount));
    }

    /**
     * Mixed-precision GEMM ({@code cublasGemmEx}, {@code hipblasGemmEx_v2}) with the default algorithm:
     * matrix types and compute type as {@link ComputeType} lists (TF32 is FP32 data on tensor cores).
     * alpha and beta are FP32, rounded to FP16 for {@link ComputeType#FP16}. One command on
     * {@code queue}, asynchronous.
     *
     * @param queue   the queue to submit to: a stream of this object's device, or a scheduled
     *                queue over one
     * @param transA  whether op(A) is A or A<sup>T</sup>
     * @param transB  whether op(B) is B or B<sup>T</sup>
     * @param m       rows of op(A) and C, {@code >= 0}
     * @param n       columns of op(B) and C, {@code >= 0}
     * @param k       columns of op(A) and rows of op(B), {@code >= 0}
     * @param alpha   the scale of the product
     * @param a       A
     * @param aType   A's element type
     * @param lda     leading dimension of A in elements
     * @param b       B
     * @param bType   B's element type
     * @param ldb     leading dimension of B in elements
     * @param beta    the scale of C's old value
     * @param c       C, overlapping neither A nor B
     * @param cType   C's element type
     * @param ldc     leading dimension of C in elements
     * @param compute how the products are computed and summed; it decides which types are accepted
     * @throws IllegalArgumentException      if the types do not suit {@code compute}, or a shape,
     *                                       leading dimension or alignment is wrong
     * @throws IllegalStateException         if this object or a matrix's buffer is closed
     * @throws UnsupportedOperationException if the library cannot run it at all: hipBLAS without
     *                                       {@code hipblasGemmEx_v2} (ROCm 5), or BF16 matrices on
     *                                       hipBLAS
     */
    public void gemmEx(CommandQueue queue, Transpose transA, Transpose transB, int m, int n, int k,
                       float alpha, DeviceMemory a, DataType aType, int lda, DeviceMemory b, DataType bType, int ldb,
                       float beta, DeviceMemory c, DataType cType, int ldc, ComputeType compute) {
        submit(queue, new GemmCall(transA, transB, m, n, k, alpha, operand("A", a, aType, lda, 0),
                operand("B", b, bType, ldb, 0), beta, operand("C", c, cType, ldc, 0),
                Objects.requireNonNull(compute, "compute"), false, 1));
    }

    /**
     * {@link #gemmEx} over {@code batchCount} matrices {@code stride} elements apart
     * ({@code cublasGemmStridedBatchedEx}, {@code hipblasGemmStridedBatchedEx_v2}). One command on
     * {@code queue}, asynchronous.
     *
     * @param queue      the queue to submit to: a stream of this object's device, or a scheduled
     *                   queue over one
     * @param transA     whether op(A) is A or A<sup>T</sup>
     * @param transB     whether op(B) is B or B<sup>T</sup>
     * @param m          rows of op(A) and C, {@code >= 0}
     * @param n          columns of op(B) and C, {@code >= 0}
     * @param k          columns of op(A) and rows of op(B), {@code >= 0}
     * @param alpha      the scale of the product
     * @param a          the first A
     * @param aType      the element type of every A
     * @param lda        leading dimension of every A in elements
     * @param strideA    elements from one A to the next, {@code >= 0}
     * @param b          the first B
     * @param bType      the element type of every B
     * @param ldb        leading dimension of every B in elements
     * @param strideB    elements from one B to the next, {@code >= 0}
     * @param beta       the scale of C's old value
     * @param c          the first C, overlapping no A or B
     * @param cType      the element type of every C
     * @param ldc        leading dimension of every C in elements
     * @param strideC    elements from one C to the next, at least {@code ldc * n} when
     *                   {@code batchCount > 1}
     * @param batchCount the number of products, {@code >= 1}
     * @param compute    how the products are computed and summed
     * @throws IllegalArgumentException      as {@link #gemmEx}, and for a wrong stride
     * @throws IllegalStateException         if this object or a matrix's buffer is closed
     * @throws UnsupportedOperationException as {@link #gemmEx}
     */
    public void gemmStridedBatchedEx(CommandQueue queue, Transpose transA, Transpose transB, int m, int n, int k,
                                     float alpha, DeviceMemory a, DataType aType, int lda, long strideA,
                                     DeviceMemory b, DataType bType, int ldb, long strideB,
                                     float beta, DeviceMemory c, DataType cType, int ldc, long strideC,
                                     int batchCount, ComputeType compute) {
        submit(queue, new GemmCall(transA, transB, m, n, k, alpha, operand("A", a, aType, lda, strideA),
                operand("B", b, bType, ldb, strideB), beta, operand("C", c, cType, ldc, strideC),
                Objects.requireNonNull(compute, "compute"), true, batchCount));
    }

    private static Operand operand(String name, DeviceMemory memory, DataType type, int ld, long stride) {
        return new Operand(name, Objects.requireNonNull(memory, name), Objects.requireNonNull(type, name + " type"), ld, stride);
    }

    private void submit(CommandQueue queue, GemmCall call) {
        Objects.requireNonNull(queue, "queue");
        ensureOpen();
        // Here, not only at release: on an XQueue a mistake found at release fails the whole queue.
        if (queue.device() != device) {
            throw new IllegalArgumentException("a BLAS call for " + device + " was submitted to a queue of " + queue.device());
        }
        call.checkMemory(device);
        backend.checkSupported(call);
        queue.enqueue(stream -> run(stream, call));
    }

    /** At release time, on the queue's issuing thread. */
    private void run(Stream stream, GemmCall call) {
        if (stream.device() != device) {
            throw new IllegalArgumentException("a BLAS call for device " + device.index() + " was submitted to a queue of device "
                    + stream.device().index());
        }
        call.checkMemory(device);
        MemorySegment nativeStream = stream.nativeHandle();
        BlasBackend.Handle handle = handleFor(nativeStream);
        synchronized (handle) {
            ensureOpen();
            handle.gemm(nativeStream, call);
        }
    }

    private synchronized BlasBackend.Handle handleFor(MemorySegment nativeStream) {
        ensureOpen();
        return handles.computeIfAbsent(nativeStream.address(), address -> backend.create(nativeStream));
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("BLAS handle is closed: " + this);
        }
    }

    /**
     * Destroys the native handles ({@code cublasDestroy}, {@code hipblasDestroy}); only the first
     * call does anything. The queues that used this object must be synchronized first: work they
     * have not released yet fails with {@link IllegalStateException}.
     *
     * @throws BlasException if destroying a handle fails (every handle is still destroyed; the
     *                       first failure is thrown, the others suppressed in it)
     */
    @Override
    public void close() {
        List<BlasBackend.Handle> toDestroy;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toDestroy = List.copyOf(handles.values());
            handles.clear();
        }
        RuntimeException failure = null;
        for (BlasBackend.Handle handle : toDestroy) {
            synchronized (handle) {
                try {
                    handle.destroy();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "Blas[" + backend.library() + ", device " + device.index() + "]";
    }
}
