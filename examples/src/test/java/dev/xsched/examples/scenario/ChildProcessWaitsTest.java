package dev.xsched.examples.scenario;

import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parent of {@code xsched demo --processes 2} never waits on a process without limit: one that
 * never says "ready", never reports, or does not exit after "done" is killed at its deadline, and
 * the failure says which side and what it waited for. The processes are shell commands.
 */
@HangGuard(seconds = 60)
class ChildProcessWaitsTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void endProcesses() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aProcessThatNeverSaysReadyIsKilledAtTheStartDeadline() throws Exception {
        ScenarioProcesses.Side hp = side(true, "exec sleep 600", SHORT);
        assertThatThrownBy(() -> hp.awaitReady(discard(), SHORT)).isInstanceOf(IOException.class)
                .hasMessage("the HP process did not print 'ready' within 300 ms of its start; it was killed");
        assertThat(hp.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("killed").isTrue();
    }

    @Test
    void aProcessThatNeverReportsItsResultsIsKilledAtTheResultsDeadline() throws Exception {
        ScenarioProcesses.Side lp = side(false, "echo latency 5; sleep 600", SHORT);
        assertThatThrownBy(() -> lp.collect(new Latencies(), new ArrayList<>(), new ArrayList<>(), SHORT,
                "within 120 s of the measured window's end")).isInstanceOf(IOException.class)
                .hasMessage("the LP process did not report its results ('done') within 120 s of the measured window's end; "
                        + "it was killed");
        assertThat(lp.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("killed").isTrue();
    }

    @Test
    void aProcessThatDoesNotExitAfterDoneIsKilledAndItsResultsKept() throws Exception {
        ScenarioProcesses.Side hp = side(true, "echo done 7 0 1; exec sleep 600", SHORT);
        long[] done = hp.collect(new Latencies(), new ArrayList<>(), new ArrayList<>(), Duration.ofSeconds(30), "soon");
        assertThat(done).containsExactly(7, 0, 1);
        assertThat(hp.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("killed").isTrue();
    }

    @Test
    void aProcessThatEndsEarlySaysItsExitStatus() throws Exception {
        ScenarioProcesses.Side lp = side(false, "echo latency 5; exit 4", Duration.ofSeconds(30));
        assertThatThrownBy(() -> lp.collect(new Latencies(), new ArrayList<>(), new ArrayList<>(), Duration.ofSeconds(30),
                "soon")).hasMessage("the LP process ended early (exit 4)");
    }

    private ScenarioProcesses.Side side(boolean hp, String script, Duration exitWithin) throws IOException {
        Process process = new ProcessBuilder("sh", "-c", script).start();
        started.add(process);
        return new ScenarioProcesses.Side(hp, process, exitWithin);
    }

    private static PrintStream discard() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
