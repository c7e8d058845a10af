package dev.xsched.examples.cli;

import dev.xsched.examples.blas.FakeCuda;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BLAS commands as a user runs them ({@code xsched example blas}, {@code example adopt-stream},
 * {@code bench gemm}), on the fake CUDA driver and fake cuBLAS (the examples' fake-cuda execution
 * chooses the nvidia platform). In {@code example blas} the online ResNet-18 is replaced by a small
 * GEMM ({@code --online gemm:N}): the fake driver runs no ResNet kernels. The fake's timings mean
 * nothing; what is tested is that the commands work.
 */
class BlasCommandsFakeCudaTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void fake() {
        FakeCuda.platformWithCublas();
    }

    private int run(String... args) {
        return XschedCommand.run(List.of(args), new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exampleBlasRunsEveryModeAndPrintsItsRow() {
        assertThat(run("example", "blas", "--size", "24", "--online", "gemm:8", "--rate", "50", "--duration", "0.5",
                "--warmup", "0", "--panels", "3")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out()).contains("cuBLAS 13.0.2")
                .contains("batch job: TF32 GEMM 24^3 (0.0 GFLOP per call, 3 column panels, threshold 1 in scheduled modes); online: FP32 GEMM 8^3");
        for (String mode : List.of("standalone-hp", "standalone-lp", "native", "native-priority", "xsched-hpf")) {
            assertThat(out()).containsPattern("(?m)^" + mode + " +");
        }
        assertThat(out()).containsPattern("(?m)^xsched-hpf +[0-9.]+ +[0-9.]+ +[0-9.]+x +[0-9.]+ ");
        // cuBLAS may load modules or free memory outside hip-ffm, which a wait pending on a stop word would hold up
        assertThat(out()).as("the demo's stop on turning ready is not armed for the BLAS job")
                .doesNotContain("stop on turning ready").doesNotContain("stops the batch queue's kernels itself");
    }

    @Test
    void exampleBlasSweepsPanelsAndThresholdsInTheScheduledModesOnly() {
        assertThat(run("example", "blas", "--size", "24", "--online", "gemm:8", "--rate", "50", "--duration", "0.3",
                "--warmup", "0", "--modes", "standalone-hp,standalone-lp,xsched-hpf", "--panels", "1,4",
                "--threshold", "1,2")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out()).contains("scheduled modes at [p1 t1, p1 t2, p4 t1, p4 t2]");
        for (String setting : List.of("p1 t1", "p1 t2", "p4 t1", "p4 t2")) {
            assertThat(out()).containsPattern("(?m)^xsched-hpf " + setting + " +[0-9.]+ +[0-9.]+ +[0-9.]+x +[0-9.]+ ");
        }
        assertThat(out()).containsOnlyOnce("mode standalone-lp:");
    }

    @Test
    void exampleBlasWithTheDeviceGateLabelsItsScheduledRows() {
        assertThat(run("example", "blas", "--size", "24", "--online", "gemm:8", "--rate", "50", "--duration", "0.3",
                "--warmup", "0", "--modes", "standalone-hp,standalone-lp,xsched-hpf", "--panels", "4", "--threshold", "3",
                "--device-gate", "on")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out()).containsPattern("(?m)^xsched-hpf gated +[0-9.]+ +[0-9.]+ +[0-9.]+x +[0-9.]+ ")
                .contains("mode standalone-lp:");
        // Each online request's breakdown, per mode under its table label.
        assertThat(out()).contains("where the HP time goes")
                .containsPattern("(?m)^  standalone-hp +[0-9]+ ")
                .containsPattern("(?m)^  xsched-hpf gated +[0-9]+ +[0-9.-]+ \\| +[0-9.-]+ ");
    }

    @Test
    void exampleBlasWithDepthPanelsLabelsItsScheduledRows() {
        assertThat(run("example", "blas", "--size", "24", "--online", "gemm:8", "--rate", "50", "--duration", "0.3",
                "--warmup", "0", "--modes", "standalone-hp,xsched-hpf", "--panels", "4", "--threshold", "2",
                "--split", "k", "--device-gate", "on")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out()).contains("4 depth panels, threshold 2 in scheduled modes")
                .containsPattern("(?m)^xsched-hpf split-k gated +[0-9.]+ +[0-9.]+ +[0-9.]+x ");
    }

    @Test
    void exampleBlasNamesABadOption() {
        assertThat(run("example", "blas", "--size", "8", "--panels", "9")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--panels 9 exceeds --size 8");
        assertThat(run("example", "blas", "--online", "vgg")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--online takes resnet18 or gemm:N, got 'vgg'");
        assertThat(run("example", "blas", "--split", "m")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--split takes n (column panels) or k (depth panels), got 'm'");
    }

    @Test
    void exampleAdoptStreamRunsAGemmOnTheAdoptedStreamWhichStaysItsMakersToDestroy() throws Throwable {
        long before = liveStreams();
        assertThat(run("example", "adopt-stream")).isZero();
        assertThat(out()).contains("the other binding created CUstream 0x")
                .contains("(priority 0 read from the driver)")
                .contains("largest difference from the host 0")
                .contains("the other binding destroyed its stream");
        assertThat(liveStreams()).as("destroyed once, by its maker").isEqualTo(before);
    }

    private static long liveStreams() throws Throwable {
        return (long) Linker.nativeLinker().downcallHandle(SymbolLookup.loaderLookup().findOrThrow("fake_cuda_live_streams"),
                FunctionDescriptor.of(JAVA_LONG)).invokeExact();
    }

    @Test
    void benchGemmTimesBothQueuesAndPrintsTheirJsonLines() {
        assertThat(run("bench", "gemm", "--size", "32", "--iterations", "4", "--warmup", "1")).isZero();
        assertThat(out()).contains("gemm benchmark: java-stream, Fake CUDA Device, TF32 GEMM 32^3, 4 iterations after 1 warm-up")
                .contains("gemm benchmark: java-xqueue, Fake CUDA Device")
                .contains("JSON {\"impl\":\"java-xqueue\",\"device\":\"Fake CUDA Device\",\"size\":32,\"compute\":\"TF32\"");
        assertThat(run("bench", "gemm", "--compute", "fp16")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--compute fp16 needs FP16 matrices");
    }
}
