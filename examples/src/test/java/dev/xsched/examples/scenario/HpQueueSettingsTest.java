package dev.xsched.examples.scenario;

import dev.xsched.core.XQueueConfig;
import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.resnet.ResNetKernels;
import dev.xsched.testsupport.HangGuard;
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

@HangGuard // runs scheduler and simulated-GPU threads in this JVM: a deadlock would hang the build
class HpQueueSettingsTest {
    @Test
    void unsetGivesAWholeRequestInFlightAndAWaitThatSpinsThroughARequest() {
        HpQueueSettings settings = with(null, null, HpQueueSettings::fromProperties);
        XQueueConfig config = settings.config();
        assertThat(config.threshold()).isEqualTo(64);
        assertThat(config.waitSpin()).isEqualTo(Duration.ofMillis(5));
        assertThat(config.idlePoll()).as("its completion thread sleeps between requests (round 40: polling moved nothing)")
                .isEqualTo(Duration.ZERO);
        assertThat(config.lockSpin()).as("spins through the scheduling thread's read of the queue (round 56)")
                .isEqualTo(Duration.ofNanos(50_000)).isGreaterThan(XQueueConfig.DEFAULT_LOCK_SPIN);
        assertThat(config.withThreshold(XQueueConfig.DEFAULT_THRESHOLD).withBatchSize(XQueueConfig.DEFAULT_BATCH_SIZE)
                .withWaitSpin(XQueueConfig.DEFAULT_WAIT_SPIN).withIdlePoll(Duration.ZERO).withLockSpin(XQueueConfig.DEFAULT_LOCK_SPIN)
                .withDrainBudget(XQueueConfig.DEFAULT_DRAIN_BUDGET)).isEqualTo(XQueueConfig.defaults("hp-resnet18"));
        assertThat(config.drainBudget()).as("a fixed window: a request's one sync point is the one its thread waits on").isZero();
        assertThat(config.batchSize()).as("one sync point per ResNet-18 request").isEqualTo(64);
        assertThat(settings.note()).isEqualTo("the HP XQueue's threshold is 64 (" + HpQueueSettings.THRESHOLD
                + "), a sync point every 64 commands (" + HpQueueSettings.BATCH_SIZE + "); its thread polls for up to 5000 us"
                + " before blocking (" + HpQueueSettings.WAIT_SPIN + "), its completion thread sleeps when idle ("
                + HpQueueSettings.IDLE_POLL + "); a thread spins up to 50 us for its lock before parking ("
                + HpQueueSettings.LOCK_SPIN + ")");
    }

    @Test
    void theLockSpinIsSetInMicrosecondsUpToTheQueuesLongest() {
        HpQueueSettings spinning = withProperty(HpQueueSettings.LOCK_SPIN, "7", HpQueueSettings::fromProperties);
        assertThat(spinning.config().lockSpin()).isEqualTo(Duration.ofNanos(7_000));
        assertThat(spinning.config().threshold()).as("the others unchanged").isEqualTo(HpQueueSettings.DEFAULT_THRESHOLD);
        assertThat(spinning.note()).endsWith("a thread spins up to 7 us for its lock before parking (" + HpQueueSettings.LOCK_SPIN + ")");
        assertThat(withProperty(HpQueueSettings.LOCK_SPIN, "0", HpQueueSettings::fromProperties).config().lockSpin()).isZero();
        assertThat(withProperty(HpQueueSettings.LOCK_SPIN, "10000", HpQueueSettings::fromProperties).config().lockSpin())
                .isEqualTo(XQueueConfig.MAX_LOCK_SPIN);
        assertThatThrownBy(() -> withProperty(HpQueueSettings.LOCK_SPIN, "10001", HpQueueSettings::fromProperties))
                .hasMessageContaining(HpQueueSettings.LOCK_SPIN).hasMessageContaining("from 0 to 10000 microseconds");
        assertThatThrownBy(() -> withProperty(HpQueueSettings.LOCK_SPIN, "50us", HpQueueSettings::fromProperties))
                .hasMessageContaining(HpQueueSettings.LOCK_SPIN).hasMessageContaining("'50us'");
    }

    @Test
    void theIdlePollIsSetInMicrosecondsAndZeroTurnsItOff() {
        HpQueueSettings on = withIdlePoll("1000", HpQueueSettings::fromProperties);
        assertThat(on.config().idlePoll()).isEqualTo(Duration.ofMillis(1));
        assertThat(on.note()).contains("its completion thread looks for work every 1000 us when idle (" + HpQueueSettings.IDLE_POLL + ")");
        HpQueueSettings off = withIdlePoll("0", HpQueueSettings::fromProperties);
        assertThat(off.config().idlePoll()).isEqualTo(Duration.ZERO);
        assertThat(off.note()).contains("its completion thread sleeps when idle (" + HpQueueSettings.IDLE_POLL + ")");
        assertThat(withIdlePoll(" 250 ", HpQueueSettings::fromProperties).config().idlePoll()).isEqualTo(Duration.ofNanos(250_000));
        assertThatThrownBy(() -> withIdlePoll("1ms", HpQueueSettings::fromProperties)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(HpQueueSettings.IDLE_POLL).hasMessageContaining("'1ms'");
        assertThatThrownBy(() -> withIdlePoll("-5", HpQueueSettings::fromProperties))
                .hasMessageContaining(HpQueueSettings.IDLE_POLL).hasMessageContaining("from 0 to 250000 microseconds");
        assertThatThrownBy(() -> withIdlePoll("5", HpQueueSettings::fromProperties)).as("below the queue's shortest poll")
                .hasMessageContaining(HpQueueSettings.IDLE_POLL).hasMessageContaining("0 or from 10 to 250000 microseconds, got 5");
    }

    /** Runs {@code body} with the idle poll property set, then restores it. */
    private static <T> T withIdlePoll(String micros, Supplier<T> body) {
        return withProperty(HpQueueSettings.IDLE_POLL, micros, body);
    }

    /** Runs {@code body} with {@code property} set, then restores it. */
    private static <T> T withProperty(String property, String value, Supplier<T> body) {
        String before = System.getProperty(property);
        try {
            set(property, value);
            return body.get();
        } finally {
            set(property, before);
        }
    }

    @Test
    void eachPropertyChangesItsSettingOnly() {
        XQueueConfig spinning = with("100", null, HpQueueSettings::fromProperties).config();
        assertThat(spinning.waitSpin()).isEqualTo(Duration.ofNanos(100_000));
        assertThat(spinning.threshold()).isEqualTo(HpQueueSettings.DEFAULT_THRESHOLD);
        XQueueConfig shallow = with(null, " 16 ", HpQueueSettings::fromProperties).config();
        assertThat(shallow.threshold()).isEqualTo(16);
        assertThat(shallow.waitSpin()).isEqualTo(Duration.ofMillis(HpQueueSettings.DEFAULT_WAIT_SPIN_MICROS / 1000));
        assertThat(shallow.batchSize()).as("a lower threshold: XSched's batch size, not a sync point that ends the window")
                .isEqualTo(XQueueConfig.XSCHED_BATCH_SIZE);
        assertThat(with(null, "4", HpQueueSettings::fromProperties).config().batchSize()).isEqualTo(4);
        assertThat(with(null, "64", HpQueueSettings::fromProperties).config().batchSize()).isEqualTo(64);
        assertThat(with(null, "128", HpQueueSettings::fromProperties).config().batchSize()).isEqualTo(64);
        assertThat(with(null, "63", HpQueueSettings::fromProperties).config().batchSize()).isEqualTo(XQueueConfig.XSCHED_BATCH_SIZE);
        assertThat(with(null, null, "8", HpQueueSettings::fromProperties).config().batchSize()).as("round 31's setting, by hand")
                .isEqualTo(8);
        assertThat(with("0", "8", HpQueueSettings::fromProperties).note())
                .contains("threshold is 8").contains("up to 0 us before blocking");
        XQueueConfig sparse = with(null, null, "64", HpQueueSettings::fromProperties).config();
        assertThat(sparse.batchSize()).isEqualTo(64);
        assertThat(sparse.threshold()).isEqualTo(HpQueueSettings.DEFAULT_THRESHOLD);
        assertThat(sparse.waitSpin()).isEqualTo(Duration.ofMillis(HpQueueSettings.DEFAULT_WAIT_SPIN_MICROS / 1000));
        assertThat(with(null, "16", "16", HpQueueSettings::fromProperties).note()).contains("a sync point every 16 commands");
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
        assertThatThrownBy(() -> with(null, "16", "32", HpQueueSettings::fromProperties))
                .hasMessageContaining(HpQueueSettings.BATCH_SIZE).hasMessageContaining("from 1 to 16 commands (at most the threshold");
        assertThatThrownBy(() -> with(null, null, "0", HpQueueSettings::fromProperties))
                .hasMessageContaining(HpQueueSettings.BATCH_SIZE).hasMessageContaining("from 1 to 64");
    }

    @Test
    void theSimulatedDemoRunsWithThemAndSaysSo(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        with("3000", "32", "32", () -> {
            try {
                ScenarioBenchmark.run(ScenarioOptions.defaults(dir).withModes(List.of(Mode.xsched("hpf"))).withTiming(0.6, 0.1),
                        new PrintStream(out, true, StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return null;
        });
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("the HP XQueue's threshold is 32").contains("a sync point every 32 commands").contains("polls for up to 3000 us before blocking");
        assertThat(dir.resolve("results.json")).content()
                .contains("\"hp_threshold\" : 32").contains("\"hp_wait_spin_us\" : 3000").contains("\"hp_batch_size\" : 32").contains("\"tf32_chunked\" : true")
                .contains("\"tf32_yield_every\" : " + ResNetKernels.tf32YieldEvery()).contains("\"yieldable_pool\" : true")
                .contains("\"persistent_yield\" : false").contains("\"hp_idle_poll_us\" : 0").containsPattern("\"hp_lock_spin_us\" : 50\\s");
    }

    /** Runs {@code body} with the wait spin and threshold set (null: cleared) and the batch size cleared. */
    private static <T> T with(String waitSpin, String threshold, Supplier<T> body) {
        return with(waitSpin, threshold, null, body);
    }

    /** Runs {@code body} with the three properties set (null: cleared), then restores them. */
    private static <T> T with(String waitSpin, String threshold, String batchSize, Supplier<T> body) {
        Map<String, String> before = new HashMap<>();
        for (String p : List.of(HpQueueSettings.WAIT_SPIN, HpQueueSettings.THRESHOLD, HpQueueSettings.BATCH_SIZE)) {
            before.put(p, System.getProperty(p));
        }
        try {
            set(HpQueueSettings.WAIT_SPIN, waitSpin);
            set(HpQueueSettings.THRESHOLD, threshold);
            set(HpQueueSettings.BATCH_SIZE, batchSize);
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
