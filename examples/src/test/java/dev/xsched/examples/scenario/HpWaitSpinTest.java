package dev.xsched.examples.scenario;

import dev.xsched.core.XQueueConfig;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HpWaitSpinTest {
    @Test
    void unsetKeepsTheQueueDefaultAndAValueInMicrosecondsSetsTheSpin() {
        assertThat(configFor(null).waitSpin()).isEqualTo(XQueueConfig.DEFAULT_WAIT_SPIN);
        assertThat(configFor("5000").waitSpin()).isEqualTo(Duration.ofMillis(5));
        assertThat(configFor(" 0 ").waitSpin()).isEqualTo(Duration.ZERO);
        assertThat(configFor("5000")).usingRecursiveComparison().ignoringFields("waitSpin")
                .isEqualTo(XQueueConfig.defaults("hp-resnet18"));
    }

    @Test
    void aBadValueIsRefusedByName() {
        assertThatThrownBy(() -> configFor("5ms")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(HpWaitSpin.PROPERTY).hasMessageContaining("'5ms'");
        assertThatThrownBy(() -> configFor("-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 0 to 10000000");
        assertThatThrownBy(() -> configFor("10000001")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 0 to 10000000");
    }

    @Test
    void theSimulatedDemoRunsWithItAndSaysSo(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SystemProperties.restoring(HpWaitSpin.PROPERTY, () -> {
            System.setProperty(HpWaitSpin.PROPERTY, "3000");
            try {
                ScenarioBenchmark.run(ScenarioOptions.defaults(dir).withModes(List.of(Mode.xsched("hpf"))).withTiming(0.6, 0.1),
                        new PrintStream(out, true, StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("the HP thread polls its XQueue for up to 3000 us before blocking");
    }

    private static XQueueConfig configFor(String value) {
        return SystemProperties.restoring(HpWaitSpin.PROPERTY, () -> {
            if (value != null) {
                System.setProperty(HpWaitSpin.PROPERTY, value);
            } else {
                System.clearProperty(HpWaitSpin.PROPERTY);
            }
            return HpWaitSpin.hpConfig();
        });
    }
}
