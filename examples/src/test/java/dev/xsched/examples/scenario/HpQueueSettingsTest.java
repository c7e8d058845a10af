package dev.xsched.examples.scenario;

import dev.xsched.core.XQueueConfig;
import dev.xsched.examples.bench.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HpQueueSettingsTest {
    @Test
    void unsetKeepsTheQueueDefaults() {
        HpQueueSettings settings = with(null, null, HpQueueSettings::fromProperties);
        assertThat(settings.config()).isEqualTo(XQueueConfig.defaults("hp-resnet18"));
        assertThat(settings.notes()).isEmpty();
    }

    @Test
    void eachPropertyChangesItsSettingOnly() {
        XQueueConfig spinning = with("5000", null, HpQueueSettings::fromProperties).config();
        assertThat(spinning.waitSpin()).isEqualTo(Duration.ofMillis(5));
        assertThat(spinning.withWaitSpin(XQueueConfig.DEFAULT_WAIT_SPIN)).isEqualTo(XQueueConfig.defaults("hp-resnet18"));
        XQueueConfig deep = with(null, " 64 ", HpQueueSettings::fromProperties).config();
        assertThat(deep.threshold()).isEqualTo(64);
        assertThat(deep.batchSize()).isEqualTo(XQueueConfig.DEFAULT_BATCH_SIZE);
        assertThat(with(null, "4", HpQueueSettings::fromProperties).config().batchSize()).isEqualTo(4);
        assertThat(with("0", "64", HpQueueSettings::fromProperties).notes()).containsExactly(
                "the HP thread polls its XQueue for up to 0 us before blocking (" + HpQueueSettings.WAIT_SPIN + ")",
                "the HP XQueue's threshold is 64 (" + HpQueueSettings.THRESHOLD + ")");
    }

    @Test
    void aBadValueIsRefusedByName() {
        assertThatThrownBy(() -> with("5ms", null, HpQueueSettings::fromProperties)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(HpQueueSettings.WAIT_SPIN).hasMessageContaining("'5ms'");
        assertThatThrownBy(() -> with("-1", null, HpQueueSettings::fromProperties))
                .hasMessageContaining("from 0 to 10000000 microseconds");
        assertThatThrownBy(() -> with(null, "0", HpQueueSettings::fromProperties))
                .hasMessageContaining(HpQueueSettings.THRESHOLD).hasMessageContaining("from 1 to 65536 commands");
        assertThatThrownBy(() -> with(null, "lots", HpQueueSettings::fromProperties))
                .hasMessageContaining(HpQueueSettings.THRESHOLD).hasMessageContaining("'lots'");
    }

    @Test
    void theSimulatedDemoRunsWithThemAndSaysSo(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        with("3000", "64", () -> {
            try {
                ScenarioBenchmark.run(ScenarioOptions.defaults(dir).withModes(List.of(Mode.xsched("hpf"))).withTiming(0.6, 0.1),
                        new PrintStream(out, true, StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return null;
        });
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("the HP thread polls its XQueue for up to 3000 us before blocking")
                .contains("the HP XQueue's threshold is 64");
    }

    /** Runs {@code body} with the two properties set (null: cleared), then restores them. */
    private static <T> T with(String waitSpin, String threshold, Supplier<T> body) {
        Map<String, String> before = new HashMap<>();
        for (String p : List.of(HpQueueSettings.WAIT_SPIN, HpQueueSettings.THRESHOLD)) {
            before.put(p, System.getProperty(p));
        }
        try {
            set(HpQueueSettings.WAIT_SPIN, waitSpin);
            set(HpQueueSettings.THRESHOLD, threshold);
            return body.get();
        } finally {
            before.forEach(HpQueueSettingsTest::set);
        }
    }

    private static void set(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
