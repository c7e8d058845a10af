package dev.xsched.core;

import dev.xsched.core.policy.Hint;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AutoConfigTest {
    private static AutoConfig read(Map<String, String> env, Map<String, String> props) {
        return AutoConfig.from(env::get, props::get);
    }

    @Test
    void defaultsFollowTheQueuesDefaultsAtLevelOne() {
        AutoConfig config = read(Map.of(), Map.of());
        assertThat(config.enabled()).isTrue();
        assertThat(config.threshold()).isEqualTo(64);
        assertThat(config.batchSize()).isEqualTo(32);
        assertThat(config.hints()).isEmpty();
        assertThat(config.cooperativeYield()).as("level 1: launch gating only").isFalse();
        assertThat(config.policy()).isEqualTo("pass-through"); // no policies module on this class path
        assertThat(config.drainBudget()).as("the queue's default window, moving").isEqualTo(Duration.ofNanos(500_000));
        assertThat(config.queueConfig("q")).isEqualTo(XQueueConfig.defaults("q").withCooperativeYield(false));
    }

    @Test
    void aZeroDrainBudgetFixesTheWindowAsXSchedDoes() {
        AutoConfig config = read(Map.of("XSCHED_AUTO_XQUEUE_THRESHOLD", "16", "XSCHED_AUTO_XQUEUE_DRAIN_BUDGET_US", "0"), Map.of());
        assertThat(config.batchSize()).as("at most the threshold").isEqualTo(16);
        assertThat(config.queueConfig("q")).isEqualTo(new XQueueConfig("q", 16, 16, false));
    }

    @Test
    void aDrainBudgetInMicrosecondsReachesTheQueues() {
        AutoConfig config = read(Map.of("XSCHED_AUTO_XQUEUE_THRESHOLD", "64", "XSCHED_AUTO_XQUEUE_BATCH_SIZE", "32",
                "XSCHED_AUTO_XQUEUE_DRAIN_BUDGET_US", "500"), Map.of());
        assertThat(config.drainBudget()).isEqualTo(Duration.ofNanos(500_000));
        assertThat(config.queueConfig("q").drainBudget()).isEqualTo(Duration.ofNanos(500_000));
        assertThat(config.queueConfig("q").threshold()).isEqualTo(64);
        assertThatThrownBy(() -> read(Map.of("XSCHED_AUTO_XQUEUE_DRAIN_BUDGET_US", "-1"), Map.of()))
                .hasMessageContaining("XSCHED_AUTO_XQUEUE_DRAIN_BUDGET_US=-1").hasMessageContaining("drain budget");
        assertThatThrownBy(() -> read(Map.of("XSCHED_AUTO_XQUEUE_DRAIN_BUDGET_US", "soon"), Map.of()))
                .hasMessageContaining("XSCHED_AUTO_XQUEUE_DRAIN_BUDGET_US").hasMessageContaining("soon");
    }

    @Test
    void environmentVariablesAreReadAndPropertiesOverrideThem() {
        AutoConfig config = read(
                Map.of("XSCHED_AUTO_XQUEUE_THRESHOLD", "64", "XSCHED_AUTO_XQUEUE_BATCH_SIZE", "32",
                        "XSCHED_AUTO_XQUEUE_PRIORITY", "10", "XSCHED_AUTO_XQUEUE_UTILIZATION", "75",
                        "XSCHED_AUTO_XQUEUE_TIMESLICE", "5000"),
                Map.of("xsched.auto.xqueue.priority", "-3"));
        assertThat(config.threshold()).isEqualTo(64);
        assertThat(config.batchSize()).isEqualTo(32);
        assertThat(config.hints()).containsExactly(new Hint.Priority(-3), new Hint.Utilization(75), new Hint.Timeslice(5_000_000));
    }

    @Test
    void malformedOrUnsupportedValuesAreRejectedWithTheirName() {
        assertThatThrownBy(() -> read(Map.of("XSCHED_AUTO_XQUEUE_THRESHOLD", "many"), Map.of()))
                .hasMessageContaining("XSCHED_AUTO_XQUEUE_THRESHOLD").hasMessageContaining("many");
        assertThatThrownBy(() -> read(Map.of("XSCHED_POLICY", "nope"), Map.of()))
                .hasMessageContaining("XSCHED_POLICY=nope is not installed");
        assertThatThrownBy(() -> read(Map.of("XSCHED_AUTO_XQUEUE_LEVEL", "3"), Map.of()))
                .hasMessageContaining("not supported");
        assertThatThrownBy(() -> read(Map.of("XSCHED_AUTO_XQUEUE_PRIORITY", "900"), Map.of()))
                .hasMessageContaining("[-255, 255]");
        assertThatThrownBy(() -> read(Map.of("XSCHED_AUTO_XQUEUE", "maybe"), Map.of()))
                .hasMessageContaining("ON or OFF");
        assertThat(read(Map.of("XSCHED_AUTO_XQUEUE", "off"), Map.of()).enabled()).isFalse();
        assertThat(read(Map.of("XSCHED_AUTO_XQUEUE_LEVEL", "2"), Map.of()).cooperativeYield())
                .as("level 2: cooperative yield of yieldable kernels").isTrue();
    }
}
