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
                "--rate", "50", "--duration", "0.5", "--warmup", "0"));
        assertThat(BlasScenario.run(options, platform, out)).isZero();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("cuBLAS 13.0.2").contains("batch job: TF32 GEMM 24^3").contains("online: FP32 GEMM 8^3");
        for (String mode : BlasScenario.MODES) {
            assertThat(text).containsPattern("(?m)^" + mode + " +");
        }
        assertThat(text).containsPattern("(?m)^xsched-hpf +[0-9.]+ +[0-9.]+ +[0-9.]+x +[0-9.]+ ");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> BlasScenario.Options.parse(List.of("--size", "abc")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--size takes a number, got 'abc'");
        assertThatThrownBy(() -> BlasScenario.Options.parse(List.of("--online", "vgg")))
                .hasMessageContaining("--online takes resnet18 or gemm:N");
        assertThatThrownBy(() -> BlasScenario.Options.parse(List.of("--modes", "fastest")))
                .hasMessageContaining("unknown mode 'fastest'");
        assertThatThrownBy(() -> BlasScenario.Options.parse(List.of("--size")))
                .hasMessageContaining("option --size needs a value");
    }
}
