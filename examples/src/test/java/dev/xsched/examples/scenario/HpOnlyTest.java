package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.resnet.SystemProperties;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@HangGuard // runs scheduler and simulated-GPU threads in this JVM: a deadlock would hang the build
class HpOnlyTest {
    @Test
    void offUnlessThePropertySaysTrueAndAnythingElseIsRefused() {
        assertThat(with(null, HpOnly::fromProperty).on()).isFalse();
        assertThat(with("false", HpOnly::fromProperty).on()).isFalse();
        assertThat(with(" TRUE ", HpOnly::fromProperty).on()).isTrue();
        assertThatThrownBy(() -> with("yes", HpOnly::fromProperty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(HpOnly.PROPERTY).hasMessageContaining("'yes'");
    }

    @Test
    void theScheduledModeRunsTheOnlineModelAloneAndSaysSo(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        with("true", () -> {
            try {
                ScenarioBenchmark.run(ScenarioOptions.defaults(dir)
                                .withModes(List.of(Mode.STANDALONE_HP, Mode.STANDALONE_LP, Mode.xsched("hpf"))).withTiming(0.6, 0.1),
                        new PrintStream(out, true, StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return null;
        });
        String output = out.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("the online model alone on its XQueue, no batch model (xsched.scenario.hpOnly=true");
        String row = output.lines().filter(l -> l.startsWith("xsched-hpf ")).findFirst().orElseThrow();
        assertThat(row).as("no LP iterations in the scheduled mode").endsWith("-         -        -");
        assertThat(output).containsPattern("xsched-hpf\\s+HP P99\\s+[0-9.]+x alone, batch job at - of its standalone throughput");
        assertThat(dir.resolve("results.json")).content().contains("\"hp_only\" : true");
    }

    @Test
    void twoProcessesRefuseIt(@TempDir Path dir) {
        assertThatThrownBy(() -> with("true", () -> {
            try {
                ScenarioProcesses.run(ScenarioOptions.defaults(dir).withModes(List.of(Mode.xsched("hpf"))).withTiming(0.3, 0.1),
                        null, java.util.Map.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            } catch (java.io.IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("an experiment of one process");
    }

    @Test
    void resultsOfANormalRunDoNotMentionIt(@TempDir Path dir) throws Exception {
        ScenarioBenchmark.run(ScenarioOptions.defaults(dir).withModes(List.of(Mode.xsched("hpf"))).withTiming(0.3, 0.1),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(dir.resolve("results.json")).content().doesNotContain("hp_only");
    }

    /** Runs {@code body} with the property set to {@code value} (null: unset), then as it was. */
    private static <T> T with(String value, java.util.function.Supplier<T> body) {
        return SystemProperties.restoring(HpOnly.PROPERTY, () -> {
            if (value == null) {
                System.clearProperty(HpOnly.PROPERTY);
            } else {
                System.setProperty(HpOnly.PROPERTY, value);
            }
            return body.get();
        });
    }
}
