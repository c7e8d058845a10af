package dev.xsched.examples.scenario;

import dev.xsched.examples.blas.FakeCuda;
import dev.xsched.hip.Device;
import dev.xsched.hip.blas.Blas;
import dev.xsched.hip.blas.ComputeType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code xsched example blas --panels}: the column panels compute the product of the whole GEMM (fake cuBLAS). */
class BlasPanelsFakeCudaTest {
    @Test
    void thePanelsComputeTheSameProductAsTheWholeGemm() {
        Device device = FakeCuda.platformWithCublas().device(0);
        int n = 6;
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = i % 5 - 2;
            b[i] = i % 3 - 1;
        }
        try (Blas blas = Blas.open(device); var stream = device.createStream();
             BlasScenario.GemmJob job = new BlasScenario.GemmJob(blas, device, n, ComputeType.FP32, 4)) {
            job.upload(stream, a, b);
            job.forward(stream);
            float[] whole = job.result(stream);
            job.clearResult(stream);
            job.forwardPreemptible(stream);
            assertThat(job.result(stream)).containsExactly(whole);
            float expected = 0;
            for (int l = 0; l < n; l++) {
                expected += a[n - 1 + l * n] * b[l + (n - 1) * n];
            }
            assertThat(whole[n * n - 1]).isEqualTo(expected);
        }
    }
}
