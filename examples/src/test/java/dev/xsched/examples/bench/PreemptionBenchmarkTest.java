package dev.xsched.examples.bench;

import dev.xsched.hip.Hip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PreemptionBenchmarkTest {
    @Test
    void runsEveryMechanismOnTheSimulatedGpuAndWritesOneRowEach(@TempDir Path dir) throws Exception {
        assumeTrue(Hip.platformOrSimulator().isSimulated(), "a real GPU is present; this test covers the simulated fallback");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PreemptionBenchmark.run(new PreemptionBenchmark.Options(List.of(2.0), 5, 100, dir),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        PreemptionBenchmark.RowJson[] rows = Json.read(dir.resolve("preemption.json"), PreemptionBenchmark.RowJson[].class);
        assertThat(rows).extracting(PreemptionBenchmark.RowJson::mechanism)
                .containsExactly(java.util.Arrays.stream(PreemptionBenchmark.Mechanism.values()).map(Object::toString).toArray(String[]::new));
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.blockMs()).isEqualTo(2.0);
            assertThat(r.hpP99Ms()).isPositive();
            assertThat(r.lpKernelsPerS()).isPositive();
        });
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("[SIMULATED]").contains("LP/alone");
    }

    @Test
    void badOptionsAreRejectedNamingTheOption() {
        assertThatThrownBy(() -> new PreemptionBenchmark.Options(List.of(2.0), 2, 100, null)).hasMessageContaining("--probes");
        assertThatThrownBy(() -> new PreemptionBenchmark.Options(List.of(0.0), 40, 100, null)).hasMessageContaining("--block-ms");
        assertThatThrownBy(() -> new PreemptionBenchmark.Options(List.of(), 40, 100, null)).hasMessageContaining("--block-ms");
        assertThatThrownBy(() -> new PreemptionBenchmark.Options(List.of(2.0), 40, 0, null)).hasMessageContaining("--check-us");
    }
}
