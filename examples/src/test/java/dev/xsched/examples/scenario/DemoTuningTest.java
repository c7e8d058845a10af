package dev.xsched.examples.scenario;

import dev.xsched.core.XScheduler;
import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.resnet.PersistentGrid;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link DemoTuning}: an option, else a property or variable, else the caller's default; no JVM-wide state touched. */
class DemoTuningTest {
    private static final String DECIDE_PROPERTY = XScheduler.DECIDE_ON_SUBMIT_PROPERTY;
    private static final String DECIDE_VARIABLE = XScheduler.DECIDE_ON_SUBMIT_VARIABLE;
    private static final String PERSIST_PROPERTY = PersistentGrid.PROPERTY;

    private static DemoTuning resolve(Boolean decideOption, Boolean persistOption, DemoTuning defaults,
                                      Map<String, String> properties, Map<String, String> environment) {
        return DemoTuning.resolve(decideOption, persistOption, defaults, properties::get, environment::get);
    }

    @Test
    void withNothingSaidTheDemoDecidesOnSubmitWithPersistentGridsAndTheOtherUsersRunBothOff() {
        assertThat(resolve(null, null, DemoTuning.DEMO_DEFAULT, Map.of(), Map.of())).isEqualTo(new DemoTuning(true, true));
        assertThat(resolve(null, null, DemoTuning.OFF, Map.of(), Map.of())).isEqualTo(new DemoTuning(false, false));
    }

    @Test
    void inOneProcessWhereEveryScheduledModeIsHpfWithTheStopOnReadyTheRoundLeavesTheSubmittingThread() {
        List<Mode> demo = ScenarioOptions.DEFAULT_MODES;
        assertThat(DemoTuning.demoDefaults(demo, true, true)).isEqualTo(DemoTuning.DEMO_STOP_ON_READY)
                .isEqualTo(new DemoTuning(false, true));
        assertThat(DemoTuning.demoDefaults(demo, false, true)).as("two processes").isEqualTo(DemoTuning.DEMO_DEFAULT);
        assertThat(DemoTuning.demoDefaults(demo, true, false)).as("the stop turned off").isEqualTo(DemoTuning.DEMO_DEFAULT);
        assertThat(DemoTuning.demoDefaults(List.of(Mode.xsched("hpf"), Mode.xsched("fifo")), true, true))
                .as("a scheduled mode without the stop").isEqualTo(DemoTuning.DEMO_DEFAULT);
        assertThat(DemoTuning.demoDefaults(List.of(Mode.STANDALONE_HP, Mode.NATIVE), true, true))
                .as("no scheduled mode").isEqualTo(DemoTuning.DEMO_DEFAULT);
    }

    @Test
    void aPropertyOrVariableSetExplicitlyWinsOverTheDefault() {
        assertThat(resolve(null, null, DemoTuning.DEMO_DEFAULT, Map.of(DECIDE_PROPERTY, "false", PERSIST_PROPERTY, "false"),
                Map.of())).isEqualTo(new DemoTuning(false, false));
        assertThat(resolve(null, null, DemoTuning.DEMO_DEFAULT, Map.of(), Map.of(DECIDE_VARIABLE, " false ")))
                .as("the variable, stripped").isEqualTo(new DemoTuning(false, true));
        assertThat(resolve(null, null, DemoTuning.OFF, Map.of(PERSIST_PROPERTY, "true"), Map.of(DECIDE_VARIABLE, "true")))
                .as("older device scripts").isEqualTo(new DemoTuning(true, true));
        assertThat(resolve(null, null, DemoTuning.DEMO_DEFAULT, Map.of(DECIDE_PROPERTY, "false"), Map.of(DECIDE_VARIABLE, "true"))
                .decideOnSubmit()).as("the property before the variable, as XScheduler reads them").isFalse();
        assertThat(resolve(null, null, DemoTuning.DEMO_DEFAULT, Map.of(), Map.of(DECIDE_VARIABLE, " ")).decideOnSubmit())
                .as("a blank variable is unset").isTrue();
    }

    @Test
    void anOptionWinsOverEverything() {
        Map<String, String> allOn = Map.of(DECIDE_PROPERTY, "true", PERSIST_PROPERTY, "true");
        assertThat(resolve(false, false, DemoTuning.DEMO_DEFAULT, allOn, Map.of(DECIDE_VARIABLE, "true")))
                .isEqualTo(new DemoTuning(false, false));
        assertThat(resolve(true, true, DemoTuning.OFF, Map.of(DECIDE_PROPERTY, "false", PERSIST_PROPERTY, "false"), Map.of()))
                .isEqualTo(new DemoTuning(true, true));
        assertThat(resolve(false, null, DemoTuning.DEMO_DEFAULT, Map.of(), Map.of()))
                .as("each setting on its own").isEqualTo(new DemoTuning(false, true));
    }

    @Test
    void aBadValueIsRefusedByNameUnlessAnOptionMakesItIrrelevant() {
        assertThatThrownBy(() -> resolve(null, null, DemoTuning.DEMO_DEFAULT, Map.of(DECIDE_PROPERTY, "yes"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(DECIDE_PROPERTY).hasMessageContaining("'yes'");
        assertThatThrownBy(() -> resolve(null, null, DemoTuning.DEMO_DEFAULT, Map.of(), Map.of(DECIDE_VARIABLE, "1")))
                .hasMessageContaining(DECIDE_VARIABLE).hasMessageContaining("'1'");
        assertThatThrownBy(() -> resolve(null, null, DemoTuning.DEMO_DEFAULT, Map.of(PERSIST_PROPERTY, "on"), Map.of()))
                .hasMessageContaining(PERSIST_PROPERTY).hasMessageContaining("'on'");
        assertThat(resolve(true, false, DemoTuning.DEMO_DEFAULT, Map.of(DECIDE_PROPERTY, "yes", PERSIST_PROPERTY, "on"), Map.of()))
                .isEqualTo(new DemoTuning(true, false));
    }

    @Test
    void theNoteSaysBothSettingsAndWhenTheSimulatorIgnoresOne() {
        assertThat(new DemoTuning(true, false).note(false)).isEqualTo("decisions on the submitting thread on "
                + "(--decide-on-submit); the batch model's yieldable kernels as persistent grids off (--persistent-grids)");
        assertThat(new DemoTuning(false, true).note(false)).contains("thread off").contains("grids on (--persistent-grids)")
                .doesNotContain("simulator");
        assertThat(new DemoTuning(false, true).note(true)).endsWith("grids on (--persistent-grids), not used on the "
                + "simulator, whose cost model charges per launched block");
        assertThat(new DemoTuning(true, false).note(true)).doesNotContain("simulator");
    }
}
