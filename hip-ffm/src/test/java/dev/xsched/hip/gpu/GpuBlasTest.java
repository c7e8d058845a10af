package dev.xsched.hip.gpu;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Stream;
import dev.xsched.hip.blas.Blas;
import dev.xsched.hip.blas.BlasAvailability;
import dev.xsched.hip.blas.ComputeType;
import dev.xsched.hip.blas.DataType;
import dev.xsched.hip.blas.Transpose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's BLAS (cuBLAS, hipBLAS) on the GPU against a double-precision GEMM on the host:
 * odd shapes, every transpose, alpha and beta, TF32 / FP16 / BF16 paths, strided batches.
 * Tolerances follow the precision: FP32 accumulation errors grow like sqrt(k) ulps; TF32 keeps 10
 * mantissa bits of each input, BF16 7, FP16 10.
 */
@Tag("gpu")
class GpuBlasTest {
    private Device gpu;
    private Blas blas;
    private Stream stream;

    @BeforeEach
    void open() {
        gpu = GpuSupport.device();
        BlasAvailability library = Blas.probe(gpu.platform().name());
        if (!library.available()) {
            String message = "no BLAS library for platform " + gpu.platform().name() + ": " + library.describe();
            if (Boolean.getBoolean(GpuSupport.REQUIRED_PROPERTY)) {
                Assertions.fail(message);
            }
            Assumptions.assumeTrue(false, message);
        }
        blas = Blas.open(gpu);
        stream = gpu.createStream();
    }

    @AfterEach
    void close() {
        if (blas != null) {
            stream.close();
            blas.close();
        }
    }

    private static float[] random(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    private DeviceBuffer upload(float[] values) {
        DeviceBuffer buffer = gpu.allocate(4L * values.length);
        stream.copyAndWait(buffer, MemorySegment.ofArray(values));
        return buffer;
    }

    private DeviceBuffer upload(short[] values) {
        DeviceBuffer buffer = gpu.allocate(2L * values.length);
        stream.copyAndWait(buffer, MemorySegment.ofArray(values));
        return buffer;
    }

    private float[] download(DeviceBuffer buffer, int count) {
        float[] out = new float[count];
        stream.copyAndWait(MemorySegment.ofArray(out), buffer);
        return out;
    }

    /** alpha op(A) op(B) + beta C in double, column-major. */
    private static double[] reference(Transpose ta, Transpose tb, int m, int n, int k, double alpha, float[] a, int lda,
                                      float[] b, int ldb, double beta, float[] c, int ldc) {
        double[] out = new double[ldc * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double sum = 0;
                for (int l = 0; l < k; l++) {
                    double x = ta == Transpose.N ? a[i + l * lda] : a[l + i * lda];
                    double y = tb == Transpose.N ? b[l + j * ldb] : b[j + l * ldb];
                    sum += x * y;
                }
                out[i + j * ldc] = alpha * sum + beta * c[i + j * ldc];
            }
        }
        return out;
    }

    /** The largest |actual - expected| over the m x n result, relative to sqrt(k) (the size of a sum of k unit products). */
    private static double error(double[] expected, float[] actual, int m, int n, int ld, int k) {
        double worst = 0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                worst = Math.max(worst, Math.abs(expected[i + j * ld] - actual[i + j * ld]));
            }
        }
        return worst / Math.sqrt(k);
    }

    @Test
    void sgemmMatchesTheHostForEveryTransposeOnOddShapes() {
        int m = 257, n = 130, k = 67;
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                int lda = (ta == Transpose.N ? m : k) + 3, ldb = (tb == Transpose.N ? k : n) + 1, ldc = m + 5;
                float[] a = random(lda * (ta == Transpose.N ? k : m), 1);
                float[] b = random(ldb * (tb == Transpose.N ? n : k), 2);
                float[] c = random(ldc * n, 3);
                try (DeviceBuffer da = upload(a); DeviceBuffer db = upload(b); DeviceBuffer dc = upload(c)) {
                    blas.sgemm(stream, ta, tb, m, n, k, 1.5f, da, lda, db, ldb, -0.5f, dc, ldc);
                    double err = error(reference(ta, tb, m, n, k, 1.5, a, lda, b, ldb, -0.5, c, ldc), download(dc, c.length),
                            m, n, ldc, k);
                    assertThat(err).as("%s%s", ta, tb).isLessThan(1e-5);
                }
            }
        }
    }

    @Test
    void tf32AndBf16ComputeOnFp32DataStayWithinTheirPrecision() {
        int n = 256;
        float[] a = random(n * n, 4);
        float[] b = random(n * n, 5);
        double[] expected = reference(Transpose.N, Transpose.N, n, n, n, 1, a, n, b, n, 0, new float[n * n], n);
        try (DeviceBuffer da = upload(a); DeviceBuffer db = upload(b); DeviceBuffer dc = gpu.allocate(4L * n * n)) {
            for (ComputeType compute : new ComputeType[] {ComputeType.FP32, ComputeType.TF32, ComputeType.BF16}) {
                blas.gemmEx(stream, Transpose.N, Transpose.N, n, n, n, 1f, da, DataType.FP32, n, db, DataType.FP32, n,
                        0f, dc, DataType.FP32, n, compute);
                double err = error(expected, download(dc, n * n), n, n, n, n);
                double bound = switch (compute) {
                    case FP32 -> 1e-5;
                    case TF32 -> 4e-3;  // inputs rounded to 10 mantissa bits
                    default -> 1.5e-2;  // inputs rounded to 7 mantissa bits
                };
                assertThat(err).as("%s", compute).isLessThan(bound);
            }
        }
    }

    @Test
    void halfAndBfloat16MatricesWithFp32Results() {
        int m = 96, n = 64, k = 80;
        float[] a = random(m * k, 6);
        float[] b = random(k * n, 7);
        for (DataType type : new DataType[] {DataType.FP16, DataType.BF16}) {
            short[] ha = encode(a, type), hb = encode(b, type);
            float[] ra = decode(ha, type), rb = decode(hb, type); // the inputs as the GPU sees them
            double[] expected = reference(Transpose.N, Transpose.N, m, n, k, 1, ra, m, rb, k, 0, new float[m * n], m);
            try (DeviceBuffer da = upload(ha); DeviceBuffer db = upload(hb); DeviceBuffer dc = gpu.allocate(4L * m * n)) {
                blas.gemmEx(stream, Transpose.N, Transpose.N, m, n, k, 1f, da, type, m, db, type, k, 0f, dc, DataType.FP32, m,
                        ComputeType.FP32);
                assertThat(error(expected, download(dc, m * n), m, n, m, k)).as("%s", type).isLessThan(1e-5);
            }
        }
    }

    private static short[] encode(float[] values, DataType type) {
        short[] out = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = type == DataType.FP16 ? Float.floatToFloat16(values[i]) : (short) (Float.floatToIntBits(values[i]) >>> 16);
        }
        return out;
    }

    private static float[] decode(short[] values, DataType type) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = type == DataType.FP16 ? Float.float16ToFloat(values[i]) : Float.intBitsToFloat(values[i] << 16);
        }
        return out;
    }

    @Test
    void stridedBatchesMatchTheHostProductByProduct() {
        int m = 33, n = 17, k = 20, batch = 5;
        long strideA = (long) m * k + 7, strideB = 0, strideC = (long) m * n;
        float[] a = random((int) (strideA * batch), 8);
        float[] b = random(k * n, 9);
        float[] c = random((int) (strideC * batch), 10);
        try (DeviceBuffer da = upload(a); DeviceBuffer db = upload(b); DeviceBuffer dc = upload(c)) {
            blas.sgemmStridedBatched(stream, Transpose.N, Transpose.N, m, n, k, 1f, da, m, strideA, db, k, strideB,
                    2f, dc, m, strideC, batch);
            float[] out = download(dc, c.length);
            for (int p = 0; p < batch; p++) {
                float[] ap = java.util.Arrays.copyOfRange(a, (int) (p * strideA), (int) (p * strideA) + m * k);
                float[] cp = java.util.Arrays.copyOfRange(c, (int) (p * strideC), (int) (p * strideC) + m * n);
                float[] outp = java.util.Arrays.copyOfRange(out, (int) (p * strideC), (int) (p * strideC) + m * n);
                double err = error(reference(Transpose.N, Transpose.N, m, n, k, 1, ap, m, b, k, 2, cp, m), outp, m, n, m, k);
                assertThat(err).as("product %d", p).isLessThan(1e-5);
            }
        }
    }
}
