package dev.xsched.examples.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command the README and docs show, run as a user runs it (on the simulated platform where
 * there is no GPU, with short durations): its exit status and what it prints.
 */
class DocumentedCommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return XschedCommand.run(List.of(args), new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void infoReportsEveryInstalledPlatformAndTheChoice() {
        assertThat(run("info")).isZero();
        assertThat(out()).contains("platform amd: ").contains("platform nvidia: ").contains("chosen platform: ");
        if (out().contains("platform nvidia: NOT AVAILABLE")) {
            assertThat(out()).contains("tried libcuda.so.1 (system loader)");
        }
    }

    @Test
    void policiesListsTheBuiltInOnesAndTheExamplesOwn() {
        assertThat(run("policies")).isZero();
        assertThat(out()).contains("hpf").contains("fifo").contains("kedf").contains("online-first");
    }

    @Test
    void exampleCustomPolicyComparesItWithFifo() {
        assertThat(run("example", "custom-policy")).isZero();
        assertThat(out()).contains("fifo ").contains("online-first").contains("online kernel waited: median");
    }

    @Test
    void benchLaunchPrintsTheTableAndTheJsonLine() {
        assertThat(run("bench", "launch", "--iterations", "20", "--warmup", "5", "--launches", "50")).isZero();
        assertThat(out()).contains("launch benchmark: java").contains("round trip (launch + sync), 20 iterations")
                .contains("JSON {\"impl\":\"java\"");
    }
}
