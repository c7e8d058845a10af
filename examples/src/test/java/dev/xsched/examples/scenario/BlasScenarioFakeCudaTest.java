package dev.xsched.examples.scenario;

import dev.xsched.examples.blas.FakeCuda;
import dev.xsched.hip.HipPlatform;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code xsched example blas} end to end on the fake CUDA driver and fake cuBLAS: every mode runs its
 * GEMMs through cuBLAS on a plain stream or an XQueue and prints its row. The online model is a small
 * GEMM ({@code --online gemm:N}): the fake driver runs no ResNet kernels. The figures of a fake say
 * nothing; what is tested is that the example works.
 */
class BlasScenarioFakeCudaTest {
    @Test
    void everyModeRunsAndPrintsItsRow() throws InterruptedException {
        HipPlatform platform = FakeCuda.platformWithCublas();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        BlasScenario.Options options = BlasScenario.Options.parse(List.of("--size", "24", "--online", "gemm:8",
                "--rate", "50", "--duration", "0.5", "--warmup", "0", "--panels", "3"));
        assertThat(BlasScenario.run(options, platform, out)).isZero();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("cuBLAS 13.0.2").contains("batch job: TF32 GEMM 24^3 (0.0 GFLOP per call, 3 panels in scheduled modes)").contains("online: FP32 GEMM 8^3");
        for (String mode : BlasScenario.MODES) {
            assertThat(text).containsPattern("(?m)^" + mode + " +");
        }
        assertThat(text).containsPattern("(?m)^xsched-hpf +[0-9.]+ +[0-9.]+ +[0-9.]+x +[0-9.]+ ");
    }

    @Test
    void thePanelsComputeTheSameProductAsTheWholeGemm() {
        HipPlatform platform = FakeCuda.platformWithCublas();
        var device = platform.device(0);
        int n = 6;
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = i % 5 - 2;
            b[i] = i % 3 - 1;
        }
        try (var blas = dev.xsched.hip.blas.Blas.open(device); var stream = device.createStream();
             BlasScenario.GemmJob job = new BlasScenario.GemmJob(blas, device, n, dev.xsched.hip.blas.ComputeType.FP32, 4)) {
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

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> BlasScenario.Options.parse(List.of("--size", "abc")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--size takes a number, got 'abc'");
        assertThatThrownBy(() -> BlasScenario.Options.parse(List.of("--online", "vgg")))
                .hasMessageContaining("--online takes resnet18 or gemm:N");
        assertThatThrownBy(() -> BlasScenario.Options.parse(List.of("--modes", "fastest")))
                .hasMessageContaining("unknown mode 'fastest'");
        assertThatThrownBy(() -> BlasScenario.Options.parse(List.of("--size", "8", "--panels", "9")))
                .hasMessage("--panels 9 exceeds --size 8");
        assertThatThrownBy(() -> BlasScenario.Options.parse(List.of("--size")))
                .hasMessageContaining("option --size needs a value");
    }
}
