package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.Mode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the demo keeps of a run whose later mode failed: the completed modes' rows, a note, the failure as thrown. */
class PartialRunTest {
    private static ModeResult completed(Mode mode) {
        return new ModeResult(mode, new Latencies(), 0, 0, 0, 0, 0, 1, 0, null);
    }

    private static RequestBreakdown.Row row(String mode) {
        return new RequestBreakdown.Row(mode, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void keepsTheRowsOfTheCompletedModesOnlyAndSaysWhichTheyAre() {
        List<ModeResult> done = List.of(completed(Mode.STANDALONE_HP), completed(Mode.NATIVE));
        List<RequestBreakdown.Row> rows = List.of(row("standalone-hp"), row("native"), row("xsched-hpf"));
        assertThat(PartialRun.rowsOf(done, rows)).extracting(RequestBreakdown.Row::mode)
                .containsExactly("standalone-hp", "native");
        assertThat(PartialRun.note(new IllegalStateException("the GPU fell off the bus"), done))
                .contains("a mode failed (the GPU fell off the bus)")
                .contains("the results of the 2 mode(s) that completed (standalone-hp, native)");
    }

    @Test
    void throwsTheFailureAsTheModeThrewIt() {
        assertThatThrownBy(() -> { throw PartialRun.rethrown(new IllegalStateException("x")); })
                .isExactlyInstanceOf(IllegalStateException.class).hasMessage("x");
        assertThatThrownBy(() -> { throw PartialRun.rethrown(new IOException("y")); })
                .isExactlyInstanceOf(IOException.class).hasMessage("y");
        assertThatThrownBy(() -> { throw PartialRun.rethrown(new InterruptedException("z")); })
                .isExactlyInstanceOf(InterruptedException.class);
        assertThatThrownBy(() -> { throw PartialRun.rethrown(new Exception("w")); })
                .isExactlyInstanceOf(IllegalStateException.class).hasRootCauseMessage("w");
    }
}
