package dev.xsched.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** {@code xsched bench decision} as documented in docs/results.md, in a small size, both settings; no timing is judged. */
class BenchDecisionCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    @TempDir
    Path dir;

    private int run(String... args) {
        return XschedCommand.run(List.of(args), terminal);
    }

    @Test
    void printsTheTableAndTheJsonLineEitherWay() {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            for (boolean deciding : new boolean[] {false, true}) {
                out.reset();
                int rc = deciding
                        ? run("bench", "decision", "--rounds", "20", "--warmup", "2", "--interval-ms", "5", "--decide-on-submit",
                                "--output", dir.toString())
                        : run("bench", "decision", "--rounds", "20", "--warmup", "2", "--interval-ms", "5");
                String text = out.toString(StandardCharsets.UTF_8);
                if (!deciding && rc != 0 && err.toString(StandardCharsets.UTF_8).contains("no request was preempted for")) {
                    continue; // a host too loaded to wake the scheduling thread within any 2 ms request: said, not a failure
                }
                assertThat(rc).as(text + err.toString(StandardCharsets.UTF_8)).isZero();
                assertThat(text).contains("20 requests after 2 warm-up, one every 5.0 ms")
                        .contains(deciding ? "decides: yes" : "decides: no (the scheduling thread does)")
                        .contains("online submission -> batch queue suspended")
                        .contains("JSON {\"benchmark\":\"decision\"");
            }
            assertThat(dir.resolve("results.json")).content().containsPattern("\"decide_on_submit\" ?: ?true");
        });
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingRuns() {
        assertThat(run("bench", "decision", "--rounds", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--rounds must be >= 1");
    }
}
