package dev.xsched.examples.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code xsched stress} and {@code xsched soak} as documented in docs/reliability.md, in small sizes. */
class ReliabilityCommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    private int run(String... args) {
        return XschedCommand.run(List.of(args), terminal);
    }

    @Test
    void soakCountsEveryCommandAndPrintsTheMemorySamples() {
        int rc = run("soak", "--queues", "8", "--commands", "4000", "--threads", "2", "--samples", "3");
        String text = out.toString(StandardCharsets.UTF_8);
        // Exit status 1 would only say that memory grew in this short run of a test JVM (not judged here).
        assertThat(rc).as(text + err.toString(StandardCharsets.UTF_8)).isIn(0, 1);
        assertThat(text).contains("soak: sim, 8 queues, 4000 commands").contains("RSS MiB")
                .contains("every command ran exactly once: yes");
    }

    @Test
    void stressRunsTheGivenOperationsAndPrintsItsSeed() {
        int rc = run("stress", "--operations", "2000", "--threads", "4", "--seed", "42");
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(text).isZero();
        assertThat(text).contains("stress: seed 42, 4 threads, 2000 operations").contains("PASSED");
    }

    @Test
    void stressWithSubmittingThreadsDeciding() {
        int rc = run("stress", "--operations", "2000", "--threads", "4", "--seed", "43", "--decide-on-submit");
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(text).isZero();
        assertThat(text).contains("stress: seed 43, 4 threads deciding on submit, 2000 operations").contains("PASSED");
    }

    @Test
    void stressOptionsAreCheckedBeforeAnythingRuns() {
        assertThat(run("stress", "--minutes", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--minutes must be > 0");
        assertThat(run("soak", "--queues", "0")).isEqualTo(2);
    }

    @Test
    void aNonPositiveOperationCountIsAUsageErrorNotATimedRun() {
        assertThat(run("stress", "--operations", "-5")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--operations must be > 0, got -5");
        assertThat(run("stress", "--operations", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--operations must be > 0, got 0");
    }
}
