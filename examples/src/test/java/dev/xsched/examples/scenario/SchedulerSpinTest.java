package dev.xsched.examples.scenario;

import dev.xsched.core.XScheduler;
import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.resnet.SystemProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scheduled modes' scheduling-thread spin: the library's setting, read where the demo can report it. */
class SchedulerSpinTest {
    private static final UnaryOperator<String> NONE = name -> null;

    @Test
    void unsetTheSchedulingThreadDoesNotSpin() {
        assertThat(SchedulerSpin.resolve(NONE, NONE)).isEqualTo(new SchedulerSpin(Duration.ZERO));
        assertThat(SchedulerSpin.resolve(Map.of(XScheduler.SPIN_PROPERTY, " ")::get, NONE).on()).as("blank is unset").isFalse();
    }

    @Test
    void thePropertyThenTheVariableDecideAsForAnyScheduler() {
        UnaryOperator<String> variable = Map.of(XScheduler.SPIN_VARIABLE, "250")::get;
        UnaryOperator<String> property = Map.of(XScheduler.SPIN_PROPERTY, "0")::get;
        SchedulerSpin fromVariable = SchedulerSpin.resolve(NONE, variable);
        assertThat(fromVariable.spin()).isEqualTo(Duration.ofNanos(250_000));
        assertThat(fromVariable.micros()).isEqualTo(250);
        assertThat(fromVariable.on()).isTrue();
        assertThat(SchedulerSpin.resolve(property, variable).on()).as("the property first; 0 turns the spin off").isFalse();
        assertThat(fromVariable.note()).isEqualTo("the scheduling thread spins 250 us after its work before it blocks "
                + "(xsched.scheduler.spinMicros / XSCHED_SCHEDULER_SPIN_US; unset: none)");
    }

    @Test
    void aBadSettingIsRefusedWithItsNames() {
        assertThatThrownBy(() -> SchedulerSpin.resolve(Map.of(XScheduler.SPIN_PROPERTY, "soon")::get, NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("xsched.scheduler.spinMicros / XSCHED_SCHEDULER_SPIN_US must be a number of microseconds");
        assertThatThrownBy(() -> SchedulerSpin.resolve(NONE, Map.of(XScheduler.SPIN_VARIABLE, "20000")::get))
                .as("above the library's 10 ms").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDemoSaysWhenItsSchedulingThreadSpinsAndRecordsIt(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        withProperty("200", () -> demo(dir, out));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("the scheduling thread spins 200 us after its work before it blocks");
        assertThat(dir.resolve(ResultsWriter.FILE)).content().contains("\"scheduler_spin_us\" : 200");
    }

    @Test
    void aBadSettingFailsTheDemoBeforeItsFirstMode(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> withProperty("soon", () -> demo(dir, out))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(XScheduler.SPIN_PROPERTY);
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("mode xsched-hpf");
        assertThat(dir.resolve(ResultsWriter.FILE)).doesNotExist();
    }

    /** The demo's one process, its scheduled mode only, briefly, on the simulator. */
    private static void demo(Path dir, ByteArrayOutputStream out) {
        try {
            ScenarioBenchmark.run(ScenarioOptions.defaults(dir).withModes(List.of(Mode.xsched("hpf"))).withTiming(0.3, 0.1),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void withProperty(String value, Runnable body) {
        SystemProperties.restoring(XScheduler.SPIN_PROPERTY, () -> {
            System.setProperty(XScheduler.SPIN_PROPERTY, value);
            body.run();
        });
    }
}
