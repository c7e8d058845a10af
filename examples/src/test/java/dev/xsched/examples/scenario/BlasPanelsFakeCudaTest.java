package dev.xsched.examples.scenario;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.examples.blas.FakeCuda;
import dev.xsched.hip.Device;
import dev.xsched.hip.blas.Blas;
import dev.xsched.hip.blas.ComputeType;
import dev.xsched.policies.HpfPolicy;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code xsched example blas --panels}: the column panels and the depth panels ({@code --split k})
 * compute the product of the whole GEMM, on a stream and gated by an XQueue (fake cuBLAS, which
 * computes each call when it is issued; the values are small integers, so every order of summing
 * them gives the same floats).
 */
@HangGuard // runs scheduler and simulated-GPU threads in this JVM: a deadlock would hang the build
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
             BlasScenario.GemmJob job = new BlasScenario.GemmJob(blas, device, n, ComputeType.FP32)) {
            job.upload(stream, a, b);
            job.forward(stream);
            float[] whole = job.result(stream);
            for (int panels : new int[] {2, 4, n}) {
                job.clearResult(stream);
                job.inPanels(panels, BlasScenario.Split.COLUMNS).forwardPreemptible(stream);
                assertThat(job.result(stream)).as("%d panels", panels).containsExactly(whole);
                // Depth panels add into C: the first one must overwrite what C held before.
                stream.memset(job.resultBuffer(), 0x7f);
                job.inPanels(panels, BlasScenario.Split.DEPTH).forwardPreemptible(stream);
                assertThat(job.result(stream)).as("%d depth panels", panels).containsExactly(whole);
            }
            float expected = 0;
            for (int l = 0; l < n; l++) {
                expected += a[n - 1 + l * n] * b[l + (n - 1) * n];
            }
            assertThat(whole[n * n - 1]).isEqualTo(expected);
        }
    }

    @Test
    void thePanelsGatedByAnXQueueOneOrTwoInFlightComputeTheSameProduct() {
        Device device = FakeCuda.platformWithCublas().device(0);
        int n = 10;
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = (i * 7) % 11 - 5;
            b[i] = (i * 3) % 7 - 3;
        }
        try (Blas blas = Blas.open(device); var stream = device.createStream();
             BlasScenario.GemmJob job = new BlasScenario.GemmJob(blas, device, n, ComputeType.FP32)) {
            job.upload(stream, a, b);
            job.forward(stream);
            float[] whole = job.result(stream);
            for (int threshold : new int[] {1, 2}) {
                try (XScheduler scheduler = XScheduler.builder().policy(new HpfPolicy()).jmx(false).build();
                     XQueue queue = scheduler.createQueue(device, device.streamPriorityRange().least(),
                             new XQueueConfig("panels", threshold, 1))) {
                    job.clearResult(queue);
                    job.inPanels(5, BlasScenario.Split.COLUMNS).forwardPreemptible(queue);
                    assertThat(job.result(queue)).as("threshold %d", threshold).containsExactly(whole);
                    job.clearResult(queue);
                    job.inPanels(5, BlasScenario.Split.DEPTH).forwardPreemptible(queue);
                    assertThat(job.result(queue)).as("depth panels, threshold %d", threshold).containsExactly(whole);
                }
            }
        }
    }
}
