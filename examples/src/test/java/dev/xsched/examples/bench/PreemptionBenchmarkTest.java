package dev.xsched.examples.bench;

import dev.xsched.hip.Hip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        int rc = PreemptionBenchmark.run(List.of("--block-ms", "2", "--probes", "5", "--output", dir.toString()),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(rc).isZero();
        String json = Files.readString(dir.resolve("preemption.json"));
        for (String mechanism : PreemptionBenchmark.MECHANISMS) {
            assertThat(json).contains("\"mechanism\": \"" + mechanism + "\"");
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("[SIMULATED]").contains("LP/alone");
    }

    @Test
    void badOptionsAreRejectedWithTheUsage() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PreemptionBenchmark.run(List.of("--probes", "2"), out)).hasMessageContaining("usage");
        assertThatThrownBy(() -> PreemptionBenchmark.run(List.of("--block-ms", "0"), out)).hasMessageContaining("usage");
        assertThatThrownBy(() -> PreemptionBenchmark.run(List.of("--frobnicate", "1"), out)).hasMessageContaining("usage");
    }
}
