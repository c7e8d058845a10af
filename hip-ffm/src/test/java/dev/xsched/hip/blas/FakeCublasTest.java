package dev.xsched.hip.blas;

import dev.xsched.hip.Availability;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Hip;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Blas} on the NVIDIA platform against the fake CUDA driver and the fake cuBLAS
 * ({@code src/test/c/fake_cublas.c}: real host GEMMs, column-major), in surefire's {@code fake-cuda}
 * execution, which points {@code xsched.cublas.library} at the fake. Results are compared with a
 * GEMM computed here from the definition.
 */
class FakeCublasTest {
    private static Device gpu;
    private static Blas blas;
    private static Stream stream;
    private static Arena arena;

    @BeforeAll
    static void fakeCublas() {
        assumeTrue(System.getProperty("xsched.cublas.library", "").contains("fake-cuda"),
                "runs in surefire's fake-cuda execution, which points xsched.cublas.library at the fake cuBLAS");
        Availability driver = Hip.probe("nvidia");
        assumeTrue(driver.available(), () -> "the fake CUDA driver could not be used (is gcc installed?): " + driver.describe());
        BlasAvailability cublas = Blas.probe("nvidia");
        assumeTrue(cublas.available(), () -> "the fake cuBLAS could not be used: " + cublas.describe());
        gpu = Hip.open("nvidia").device(0);
        blas = Blas.open(gpu);
        stream = gpu.createStream();
        arena = Arena.ofShared();
    }

    @AfterAll
    static void close() {
        if (blas != null) {
            stream.close();
            blas.close();
            arena.close();
        }
    }

    private static Object hook(String name, FunctionDescriptor descriptor, Object... args) throws Throwable {
        MethodHandle handle = Linker.nativeLinker().downcallHandle(SymbolLookup.loaderLookup().findOrThrow(name), descriptor);
        return handle.invokeWithArguments(args);
    }

    private static long gemmCalls() throws Throwable {
        return (long) hook("fake_cublas_gemm_calls", FunctionDescriptor.of(JAVA_LONG));
    }

    /** A column-major FP32 matrix on the host and its copy on the device. */
    private record Matrix(int rows, int cols, int ld, float[] values, DeviceBuffer device) {
        static Matrix random(int rows, int cols, int ld, Random random) {
            float[] values = new float[ld * cols];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextInt(9) - 4; // small integers: every product and sum is exact in FP32
            }
            DeviceBuffer buffer = gpu.allocate(4L * values.length);
            stream.copyAndWait(buffer, MemorySegment.ofArray(values));
            return new Matrix(rows, cols, ld, values, buffer);
        }

        float at(int i, int j) {
            return values[i + j * ld];
        }

        float[] read() {
            float[] out = new float[values.length];
            stream.copyAndWait(MemorySegment.ofArray(out), device);
            return out;
        }
    }

    /** C = alpha * op(A) * op(B) + beta * C, from the definition (column-major). */
    private static float[] reference(Transpose ta, Transpose tb, int m, int n, int k, float alpha, Matrix a, Matrix b,
                                     float beta, Matrix c) {
        float[] out = c.values().clone();
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                float sum = 0;
                for (int l = 0; l < k; l++) {
                    float x = ta == Transpose.N ? a.at(i, l) : a.at(l, i);
                    float y = tb == Transpose.N ? b.at(l, j) : b.at(j, l);
                    sum += x * y;
                }
                out[i + j * c.ld()] = alpha * sum + beta * c.at(i, j);
            }
        }
        return out;
    }

    @Test
    void theLibraryIsFoundWhereTheSystemPropertyPointsAndReportsItsVersion() {
        BlasAvailability probe = Blas.probe("nvidia");
        assertThat(probe.summary()).startsWith("cuBLAS 13.0.2 (").contains("fake-cuda");
        assertThat(probe.attempts()).anyMatch(a -> a.contains("(-Dxsched.cublas.library): loaded "));
        assertThat(blas.library()).startsWith("cuBLAS 13.0.2");
        assertThat(blas.device()).isSameAs(gpu);
    }

    @Test
    void sgemmIsColumnMajorAndHonoursEveryTransposeAlphaBetaAndLeadingDimension() throws Throwable {
        Random random = new Random(1);
        int m = 5, n = 3, k = 4;
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                Matrix a = ta == Transpose.N ? Matrix.random(m, k, m + 2, random) : Matrix.random(k, m, k + 1, random);
                Matrix b = tb == Transpose.N ? Matrix.random(k, n, k, random) : Matrix.random(n, k, n + 3, random);
                Matrix c = Matrix.random(m, n, m + 1, random);
                long before = gemmCalls();
                blas.sgemm(stream, ta, tb, m, n, k, 2f, a.device(), a.ld(), b.device(), b.ld(), -1f, c.device(), c.ld());
                assertThat(c.read()).as("%s%s", ta, tb).containsExactly(reference(ta, tb, m, n, k, 2f, a, b, -1f, c));
                assertThat(gemmCalls()).isEqualTo(before + 1);
                List.of(a, b, c).forEach(x -> x.device().close());
            }
        }
        MemorySegment last = (MemorySegment) hook("fake_cublas_last_stream", FunctionDescriptor.of(ADDRESS));
        assertThat(last.address()).as("run on the stream it was submitted to").isEqualTo(stream.nativeHandle().address());
    }

    @Test
    void gemmExPassesTheComputeTypeTf32RoundsTheInputsFp32DoesNot() {
        float x = 1f + 0x1p-12f; // not representable in TF32 (10 mantissa bits): rounds to 1
        try (DeviceBuffer a = gpu.allocate(4); DeviceBuffer b = gpu.allocate(4); DeviceBuffer c = gpu.allocate(4)) {
            stream.copyAndWait(a, MemorySegment.ofArray(new float[] {x}));
            stream.copyAndWait(b, MemorySegment.ofArray(new float[] {1f}));
            float[] out = new float[1];
            blas.gemmEx(stream, Transpose.N, Transpose.N, 1, 1, 1, 1f, a, DataType.FP32, 1, b, DataType.FP32, 1,
                    0f, c, DataType.FP32, 1, ComputeType.FP32);
            stream.copyAndWait(MemorySegment.ofArray(out), c);
            assertThat(out[0]).isEqualTo(x);
            blas.gemmEx(stream, Transpose.N, Transpose.N, 1, 1, 1, 1f, a, DataType.FP32, 1, b, DataType.FP32, 1,
                    0f, c, DataType.FP32, 1, ComputeType.TF32);
            stream.copyAndWait(MemorySegment.ofArray(out), c);
            assertThat(out[0]).isEqualTo(1f);
        }
    }

    @Test
    void halfAndBfloat16MatricesAndHalfCompute() {
        // A = [1.5 2; -3 0.25] (column-major), B = identity times 2: C = 2A, exact in FP16 and BF16.
        float[] a = {1.5f, -3f, 2f, 0.25f};
        float[] b = {2f, 0f, 0f, 2f};
        float[] expected = {3f, -6f, 4f, 0.5f};
        for (DataType type : List.of(DataType.FP16, DataType.BF16)) {
            try (DeviceBuffer da = gpu.allocate(8); DeviceBuffer db = gpu.allocate(8); DeviceBuffer dc = gpu.allocate(16)) {
                stream.copyAndWait(da, MemorySegment.ofArray(encode(a, type)));
                stream.copyAndWait(db, MemorySegment.ofArray(encode(b, type)));
                blas.gemmEx(stream, Transpose.N, Transpose.N, 2, 2, 2, 1f, da, type, 2, db, type, 2, 0f, dc, DataType.FP32, 2,
                        ComputeType.FP32);
                float[] out = new float[4];
                stream.copyAndWait(MemorySegment.ofArray(out), dc);
                assertThat(out).as("%s x %s -> FP32", type, type).containsExactly(expected);
            }
        }
        try (DeviceBuffer da = gpu.allocate(8); DeviceBuffer db = gpu.allocate(8); DeviceBuffer dc = gpu.allocate(8)) {
            stream.copyAndWait(da, MemorySegment.ofArray(encode(a, DataType.FP16)));
            stream.copyAndWait(db, MemorySegment.ofArray(encode(b, DataType.FP16)));
            blas.gemmEx(stream, Transpose.N, Transpose.N, 2, 2, 2, 0.5f, da, DataType.FP16, 2, db, DataType.FP16, 2, 0f, dc,
                    DataType.FP16, 2, ComputeType.FP16);
            short[] out = new short[4];
            stream.copyAndWait(MemorySegment.ofArray(out), dc);
            assertThat(decode(out)).as("alpha 0.5 passed as FP16").containsExactly(a);
        }
    }

    private static short[] encode(float[] values, DataType type) {
        short[] out = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = type == DataType.FP16 ? Float.floatToFloat16(values[i]) : (short) (Float.floatToIntBits(values[i]) >>> 16);
        }
        return out;
    }

    private static float[] decode(short[] halves) {
        float[] out = new float[halves.length];
        for (int i = 0; i < halves.length; i++) {
            out[i] = Float.float16ToFloat(halves[i]);
        }
        return out;
    }

    @Test
    void stridedBatchesComputeEveryProductAndAZeroStrideSharesOneMatrix() {
        Random random = new Random(2);
        int m = 3, n = 2, k = 4, batch = 3;
        Matrix[] as = new Matrix[batch];
        Matrix[] cs = new Matrix[batch];
        Matrix b = Matrix.random(k, n, k, random); // one B for every product: stride 0
        float[] aAll = new float[m * k * batch];
        for (int p = 0; p < batch; p++) {
            as[p] = Matrix.random(m, k, m, random);
            cs[p] = Matrix.random(m, n, m, random);
            System.arraycopy(as[p].values(), 0, aAll, p * m * k, m * k);
        }
        try (DeviceBuffer a = gpu.allocate(4L * aAll.length); DeviceBuffer c = gpu.allocate(4L * m * n * batch)) {
            stream.copyAndWait(a, MemorySegment.ofArray(aAll));
            for (ComputeType compute : new ComputeType[] {null, ComputeType.FP32}) {
                for (int p = 0; p < batch; p++) {
                    stream.copy(c.slice(4L * p * m * n, 4L * m * n), cs[p].device());
                }
                if (compute == null) {
                    blas.sgemmStridedBatched(stream, Transpose.N, Transpose.N, m, n, k, 1f, a, m, (long) m * k, b.device(), k, 0,
                            3f, c, m, (long) m * n, batch);
                } else {
                    blas.gemmStridedBatchedEx(stream, Transpose.N, Transpose.N, m, n, k, 1f, a, DataType.FP32, m, (long) m * k,
                            b.device(), DataType.FP32, k, 0, 3f, c, DataType.FP32, m, (long) m * n, batch, compute);
                }
                float[] out = new float[m * n * batch];
                stream.copyAndWait(MemorySegment.ofArray(out), c);
                for (int p = 0; p < batch; p++) {
                    float[] product = java.util.Arrays.copyOfRange(out, p * m * n, (p + 1) * m * n);
                    assertThat(product).as("product %d (%s)", p, compute)
                            .containsExactly(reference(Transpose.N, Transpose.N, m, n, k, 1f, as[p], b, 3f, cs[p]));
                }
            }
        }
        List.of(as).forEach(x -> x.device().close());
        List.of(cs).forEach(x -> x.device().close());
        b.device().close();
    }

    @Test
    void badArgumentsAreRejectedOnTheCallersThreadBeforeAnythingIsQueued() throws Throwable {
        try (DeviceBuffer a = gpu.allocate(4 * 16); DeviceBuffer b = gpu.allocate(4 * 16); DeviceBuffer c = gpu.allocate(4 * 16)) {
            long before = gemmCalls();
            Map<String, Runnable> calls = Map.of(
                    "lda = 3 < max(1, 4)", () -> blas.sgemm(stream, Transpose.N, Transpose.N, 4, 4, 4, 1, a, 3, b, 4, 0, c, 4),
                    "B needs 76 bytes", () -> blas.sgemm(stream, Transpose.N, Transpose.N, 4, 4, 4, 1, a, 4, b, 5, 0, c, 4),
                    "C overlaps A or B", () -> blas.sgemm(stream, Transpose.N, Transpose.N, 2, 2, 2, 1, a, 2, b, 2, 0, a.slice(8), 2),
                    "must be >= 0", () -> blas.sgemm(stream, Transpose.N, Transpose.N, -1, 4, 4, 1, a, 4, b, 4, 0, c, 4),
                    "compute type TF32 takes A, B and C in FP32", () -> blas.gemmEx(stream, Transpose.N, Transpose.N, 2, 2, 2, 1,
                            a, DataType.FP16, 2, b, DataType.FP16, 2, 0, c, DataType.FP32, 2, ComputeType.TF32),
                    "not aligned", () -> blas.sgemm(stream, Transpose.N, Transpose.N, 1, 1, 1, 1, a.slice(2, 4), 1, b, 1, 0, c, 1),
                    "would overlap and race", () -> blas.sgemmStridedBatched(stream, Transpose.N, Transpose.N, 2, 2, 2, 1, a, 2, 0,
                            b, 2, 0, 0, c, 2, 2, 2));
            for (var entry : calls.entrySet()) {
                assertThatThrownBy(entry.getValue()::run).as(entry.getKey())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(entry.getKey());
            }
            assertThat(gemmCalls()).as("nothing reached the library").isEqualTo(before);
            // The same buffers in a valid call: the rejections above were for their stated reasons.
            blas.sgemm(stream, Transpose.T, Transpose.N, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
            assertThat(gemmCalls()).isEqualTo(before + 1);
        }
        DeviceBuffer closed = gpu.allocate(16);
        closed.close();
        try (DeviceBuffer b = gpu.allocate(16); DeviceBuffer c = gpu.allocate(16)) {
            assertThatThrownBy(() -> blas.sgemm(stream, Transpose.N, Transpose.N, 2, 2, 2, 1, closed, 2, b, 2, 0, c, 2))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }

    @Test
    void aLibraryFailureIsABlasExceptionWithTheStatusNameAndTheCall() throws Throwable {
        try (DeviceBuffer a = gpu.allocate(16); DeviceBuffer b = gpu.allocate(16); DeviceBuffer c = gpu.allocate(16)) {
            hook("fake_cublas_fail_next", FunctionDescriptor.ofVoid(JAVA_INT), 13);
            assertThatThrownBy(() -> blas.gemmEx(stream, Transpose.N, Transpose.T, 2, 2, 2, 1, a, DataType.FP32, 2, b,
                    DataType.FP32, 2, 0, c, DataType.FP32, 2, ComputeType.TF32))
                    .isInstanceOfSatisfying(BlasException.class, e -> {
                        assertThat(e.status()).isEqualTo(13);
                        assertThat(e.statusName()).isEqualTo("CUBLAS_STATUS_EXECUTION_FAILED");
                        assertThat(e.statusMessage()).isEqualTo("the GPU program failed to execute");
                        assertThat(e.call()).isEqualTo("cublasGemmEx(N, T, m=2, n=2, k=2, lda=2, ldb=2, ldc=2, "
                                + "FP32 x FP32 -> FP32, compute TF32)");
                    });
            // The handle stays usable.
            blas.sgemm(stream, Transpose.N, Transpose.N, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
        }
    }

    @Test
    void manyThreadsOnTheirOwnStreamsShareOneBlasAndEachStreamGetsItsOwnHandle() throws Throwable {
        int threads = 8, rounds = 25;
        long handlesBefore = (long) hook("fake_cublas_live_handles", FunctionDescriptor.of(JAVA_LONG));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Stream> streams = new ArrayList<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Stream own = gpu.createStream();
                streams.add(own);
                int seed = t;
                futures.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (int r = 0; r < rounds; r++) {
                        Matrix a = onStream(own, random, 4, 3);
                        Matrix b = onStream(own, random, 3, 2);
                        Matrix c = onStream(own, random, 4, 2);
                        blas.sgemm(own, Transpose.N, Transpose.N, 4, 2, 3, 1f, a.device(), 4, b.device(), 3, 1f, c.device(), 4);
                        float[] out = new float[8];
                        own.copyAndWait(MemorySegment.ofArray(out), c.device());
                        assertThat(out).containsExactly(reference(Transpose.N, Transpose.N, 4, 2, 3, 1f, a, b, 1f, c));
                        List.of(a, b, c).forEach(x -> x.device().close());
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                awaitOrDumpThreads(future);
            }
            long handles = (long) hook("fake_cublas_live_handles", FunctionDescriptor.of(JAVA_LONG));
            assertThat(handles - handlesBefore).as("one handle per stream").isEqualTo(threads);
        } finally {
            pool.shutdownNow();
            streams.forEach(Stream::close);
        }
    }

    private static Matrix onStream(Stream own, Random random, int rows, int cols) {
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(7) - 3;
        }
        DeviceBuffer buffer = gpu.allocate(4L * values.length);
        own.copyAndWait(buffer, MemorySegment.ofArray(values));
        return new Matrix(rows, cols, rows, values, buffer);
    }

    /** A watchdog, not a performance bound: a hang becomes a failure that shows every thread. */
    private static void awaitOrDumpThreads(Future<?> future) throws Exception {
        try {
            future.get(2, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            StringBuilder dump = new StringBuilder("hung; threads:\n");
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                dump.append(thread).append('\n');
                for (StackTraceElement frame : stack) {
                    dump.append("    at ").append(frame).append('\n');
                }
            });
            fail(dump.toString());
        }
    }

    @Test
    void aClosedBlasDestroysItsHandlesAndRefusesWork() throws Throwable {
        long before = (long) hook("fake_cublas_live_handles", FunctionDescriptor.of(JAVA_LONG));
        Blas own = Blas.open(gpu);
        try (Stream s = gpu.createStream(); DeviceBuffer a = gpu.allocate(16); DeviceBuffer b = gpu.allocate(16);
             DeviceBuffer c = gpu.allocate(16)) {
            own.sgemm(s, Transpose.N, Transpose.N, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
            assertThat((long) hook("fake_cublas_live_handles", FunctionDescriptor.of(JAVA_LONG))).isEqualTo(before + 1);
            s.synchronize();
            own.close();
            own.close(); // idempotent
            assertThat((long) hook("fake_cublas_live_handles", FunctionDescriptor.of(JAVA_LONG))).isEqualTo(before);
            assertThatThrownBy(() -> own.sgemm(s, Transpose.N, Transpose.N, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }

    /** Refused on the submitting thread: on an XQueue, found only at release, it failed the whole queue. */
    @Test
    void aQueueOfAnotherDeviceIsRefusedBeforeAnythingIsQueued() throws Throwable {
        Random random = new Random(7);
        Matrix a = Matrix.random(2, 2, 2, random);
        Matrix b = Matrix.random(2, 2, 2, random);
        Matrix c = Matrix.random(2, 2, 2, random);
        long calls = gemmCalls();
        try (Stream other = Hip.open("sim").device(0).createStream()) {
            assertThatThrownBy(() -> blas.sgemm(other, Transpose.N, Transpose.N, 2, 2, 2, 1f, a.device(), 2, b.device(), 2, 0f,
                    c.device(), 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was submitted to a queue of");
        } finally {
            List.of(a, b, c).forEach(x -> x.device().close());
        }
        assertThat(gemmCalls()).as("nothing reached cuBLAS").isEqualTo(calls);
    }

    @Test
    void theSimulatedPlatformHasNoBlas() {
        Device simulated = Hip.open("sim").device(0);
        assertThatThrownBy(() -> Blas.open(simulated)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("platform 'sim' has no BLAS library");
        assertThat(Blas.probe("sim").available()).isFalse();
    }

    /** hipBLAS is not packaged for Debian 12 (nor is an AMD GPU here): this runs where ROCm's hipblas is installed. */
    @Test
    void hipblasLoadsWhereRocmProvidesIt() {
        BlasAvailability hipblas = Blas.probe("amd");
        assumeTrue(hipblas.available(), () -> "hipBLAS is not installed (Debian 12 does not package it; ROCm's hipblas "
                + "package provides libhipblas): " + hipblas.summary());
        assertThat(hipblas.library()).isEqualTo("hipBLAS");
        assertThat(hipblas.summary()).contains("libhipblas");
    }
}
