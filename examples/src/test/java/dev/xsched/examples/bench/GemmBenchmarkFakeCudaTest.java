package dev.xsched.examples.bench;

import dev.xsched.examples.blas.FakeCuda;
import dev.xsched.hip.Device;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code xsched bench gemm} on the fake CUDA driver and fake cuBLAS: both queues run, every GEMM is
 * timed by its events and the output has the shape run-gemm-comparison.sh reads. (The fake's times
 * mean nothing; the benchmark's figures come from the GPU host.)
 */
class GemmBenchmarkFakeCudaTest {
    @Test
    void bothQueuesAreTimedAndPrintedWithAJsonLine() {
        Device gpu = FakeCuda.platformWithCublas().device(0);
        GemmBenchmark.Options options = GemmBenchmark.Options.parse(List.of("--size", "32", "--iterations", "4", "--warmup", "1"));
        List<GemmBenchmark.Result> results = GemmBenchmark.measure(gpu, options);
        assertThat(results).extracting(GemmBenchmark.Result::impl).containsExactly("java-stream", "java-xqueue");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        for (GemmBenchmark.Result result : results) {
            assertThat(result.millis()).hasSize(4);
            assertThat(java.util.Arrays.stream(result.millis()).min().orElseThrow()).isGreaterThanOrEqualTo(0);
            GemmBenchmark.print(result, out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("gemm benchmark: java-stream, Fake CUDA Device, TF32 GEMM 32^3, 4 iterations after 1 warm-up")
                .contains("JSON {\"impl\":\"java-xqueue\",\"device\":\"Fake CUDA Device\",\"size\":32,\"compute\":\"TF32\"");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> GemmBenchmark.Options.parse(List.of("--compute", "fp16")))
                .hasMessageContaining("--compute fp16 needs FP16 matrices");
        assertThatThrownBy(() -> GemmBenchmark.Options.parse(List.of("--queue", "graph")))
                .hasMessageContaining("--queue takes stream, xqueue or both");
        assertThatThrownBy(() -> GemmBenchmark.Options.parse(List.of("--size", "x"))).hasMessage("--size takes a number, got 'x'");
    }
}
