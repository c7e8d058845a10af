package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.resnet.ConvPrecision;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The options a {@link ScenarioProcess} of {@code xsched demo --processes 2} gets as arguments:
 * each one it is given it reads back, so both processes run with the parent's choices.
 */
class ScenarioProcessArgumentsTest {
    @Test
    void everyOptionComesBackAsGiven() {
        Mode hpf = Mode.xsched("hpf");
        ScenarioOptions options = new ScenarioOptions(12.5, 256, 7, 0.5, List.of(hpf), 3, 2, false, "64", Path.of("."),
                ConvPrecision.FP32, true, true, false);
        List<String> args = ScenarioProcess.arguments("lp", hpf, Path.of("/tmp/xsched.sock"), options);
        assertThat(args.subList(0, 3)).containsExactly("lp", "xsched-hpf", "/tmp/xsched.sock");
        assertThat(ScenarioProcess.options(args.toArray(String[]::new))).isEqualTo(options);

        ScenarioOptions flipped = new ScenarioOptions(20, 1024, 30, 3, List.of(Mode.NATIVE), 2, 1, true, "yield", Path.of("."),
                null, false, false, true);
        List<String> plain = ScenarioProcess.arguments("hp", Mode.NATIVE, null, flipped);
        assertThat(plain.get(2)).as("no socket").isEqualTo("-");
        assertThat(ScenarioProcess.options(plain.toArray(String[]::new))).isEqualTo(flipped);
    }

    @Test
    void theProcessRunsOnlyTheModeItIsGivenAndLeavesTheOutputToTheParent() {
        ScenarioOptions parent = ScenarioOptions.defaults(Path.of("results", "x")).withTuning(new DemoTuning(true, true));
        ScenarioOptions child = ScenarioProcess.options(
                ScenarioProcess.arguments("hp", Mode.NATIVE_PRIORITY, null, parent).toArray(String[]::new));
        assertThat(child.modes()).containsExactly(Mode.NATIVE_PRIORITY);
        assertThat(child.output()).isEqualTo(Path.of("."));
        assertThat(child.tuning()).isEqualTo(new DemoTuning(true, true));
    }
}
