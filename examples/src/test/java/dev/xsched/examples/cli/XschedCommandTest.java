package dev.xsched.examples.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class XschedCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return XschedCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void infoReportsEveryInstalledPlatformAndTheChoice() {
        int rc = run("info");
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("platform amd: ");
        assertThat(text).contains("  blas: unavailable: the sim platform has no BLAS library");
        assertThat(text).contains("chosen platform: ");
        assertThat(rc).isZero();
    }

    @Test
    void infoShowsWhyNvidiaWasNotFound() {
        run("info");
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("platform nvidia: ");
        if (text.contains("platform nvidia: NOT AVAILABLE")) {
            assertThat(text).contains("libcuda.so.1").contains("tried libcuda.so.1 (system loader)");
        }
    }

    @Test
    void benchNeedsABenchmarkNameAndADevice() {
        assertThat(run("bench")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("name a benchmark: launch");
        int rc = run("bench", "launch", "--iterations", "10", "--warmup", "1", "--launches", "10");
        if (rc != 0) {
            assertThat(rc).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("xsched bench: ");
        }
    }

    @Test
    void anUnknownCommandFailsWithUsage() {
        assertThat(run("frobnicate")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'").contains("usage: xsched");
    }
}
