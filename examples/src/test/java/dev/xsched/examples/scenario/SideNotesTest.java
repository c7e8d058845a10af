package dev.xsched.examples.scenario;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the parent of {@code xsched demo --processes 2} reads a process's lines before "ready": its
 * notes shown under its side's name, and the LP process's word that it runs without the device
 * gate it was asked for (its device cannot wait on memory), which results.json then records. The
 * processes here are shell commands printing what a {@link ScenarioProcess} would.
 */
class SideNotesTest {
    @Test
    void anUngatedNoteIsShownAndRemembered() throws Exception {
        ScenarioProcesses.Side lp = side(false, "note " + ScenarioProcess.UNGATED + "gfx90a's streams cannot wait\\n"
                + "note warmed up\\nready platform amd, device X (gfx90a)\\n");
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        assertThat(lp.awaitReady(new PrintStream(shown, true, StandardCharsets.UTF_8))).isEqualTo("platform amd, device X (gfx90a)");
        assertThat(lp.ungated).isTrue();
        assertThat(shown.toString(StandardCharsets.UTF_8)).contains("  LP process: no device gate: gfx90a's streams cannot wait")
                .contains("  LP process: warmed up");
    }

    @Test
    void otherNotesLeaveTheGateAsAskedAndAMissingReadyFails() throws Exception {
        ScenarioProcesses.Side hp = side(true, "note something else\\nready platform sim\\n");
        assertThat(hp.awaitReady(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isEqualTo("platform sim");
        assertThat(hp.ungated).isFalse();
        ScenarioProcesses.Side dead = side(false, "note starting\\n");
        assertThatThrownBy(() -> dead.awaitReady(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("the LP process did not start (null)");
    }

    private static ScenarioProcesses.Side side(boolean hp, String lines) throws IOException {
        return new ScenarioProcesses.Side(hp, new ProcessBuilder(List.of("printf", lines)).start());
    }
}
