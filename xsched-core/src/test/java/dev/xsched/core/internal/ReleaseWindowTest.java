package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleaseWindowTest {
    private static final long US = 1_000;

    private static ReleaseWindow window(int threshold, int batchSize, Duration budget) {
        return new ReleaseWindow(new XQueueConfig("w", threshold, batchSize).withDrainBudget(budget));
    }

    @Test
    void withoutABudgetTheWindowIsTheConfiguredOneWhateverTheDrainTimes() {
        ReleaseWindow fixed = window(16, 8, Duration.ZERO);
        assertThat(fixed.adaptive()).isFalse();
        fixed.drained(1, true);
        fixed.drained(Duration.ofSeconds(1).toNanos(), true);
        assertThat(fixed.threshold()).isEqualTo(16);
        assertThat(fixed.batchSize()).isEqualTo(8);
    }

    @Test
    void anAdaptiveWindowStartsAtXSchedsDefaultAndGrowsAtMostTwofoldPerQuickDrainUpToTheThreshold() {
        ReleaseWindow w = window(64, 32, Duration.ofNanos(500 * US));
        assertThat(w.adaptive()).isTrue();
        assertThat(w.threshold()).isEqualTo(XQueueConfig.ADAPTIVE_START);
        assertThat(w.batchSize()).as("the configured proportion, half").isEqualTo(8);
        w.drained(10 * US, true); // 50 times the window would fit: twice, no more
        assertThat(w.threshold()).isEqualTo(32);
        assertThat(w.batchSize()).isEqualTo(16);
        w.drained(10 * US, true);
        w.drained(10 * US, true);
        assertThat(w.threshold()).as("never past the configured threshold").isEqualTo(64);
        assertThat(w.batchSize()).isEqualTo(32);
    }

    @Test
    void aSlowDrainShrinksTheWindowAtOnceToWhatFitsTheBudget() {
        ReleaseWindow w = window(64, 32, Duration.ofNanos(500 * US));
        w.drained(1_000 * US, true); // 16 commands took twice the budget: 8 fit
        assertThat(w.threshold()).isEqualTo(8);
        assertThat(w.batchSize()).isEqualTo(4);
        w.drained(640 * US, true); // 8 took 640 us: 6.25 fit
        assertThat(w.threshold()).isEqualTo(6);
        assertThat(w.batchSize()).isEqualTo(3);
    }

    @Test
    void longKernelsKeepTwoInFlightSoThatTheDeviceDoesNotIdleBetweenReleases() {
        ReleaseWindow w = window(64, 32, Duration.ofNanos(500 * US));
        w.drained(Duration.ofMillis(320).toNanos(), true); // 16 kernels of 20 ms
        assertThat(w.threshold()).isEqualTo(2);
        assertThat(w.batchSize()).as("a sync point after every command").isEqualTo(1);
        w.drained(Duration.ofMillis(40).toNanos(), true);
        assertThat(w.threshold()).isEqualTo(2);
    }

    @Test
    void aLateLookOnlyWidens() {
        ReleaseWindow w = window(64, 32, Duration.ofNanos(500 * US));
        w.drained(900 * US, false); // looked at 900 us after the record: the drain took at most that
        assertThat(w.threshold()).as("says nothing past the budget").isEqualTo(16);
        w.drained(100 * US, false); // at most 100 us: 16 more would still fit
        assertThat(w.threshold()).isEqualTo(32);
        w.drained(900 * US, true); // watched: 32 took 900 us
        assertThat(w.threshold()).isEqualTo(17);
    }

    @Test
    void aThresholdOfOneStaysOne() {
        ReleaseWindow w = window(1, 1, Duration.ofNanos(500 * US));
        assertThat(w.threshold()).isEqualTo(1);
        w.drained(1, true);
        assertThat(w.threshold()).isEqualTo(1);
        w.drained(Duration.ofSeconds(1).toNanos(), true);
        assertThat(w.threshold()).isEqualTo(1);
    }

    @Test
    void aHugeBudgetAndAZeroDrainDoNotOverflow() {
        ReleaseWindow w = window(1 << 20, 1 << 19, XQueueConfig.MAX_DRAIN_BUDGET);
        for (int i = 0; i < 20; i++) {
            w.drained(0, true);
        }
        assertThat(w.threshold()).isEqualTo(1 << 20);
        assertThat(w.batchSize()).isEqualTo(1 << 19);
    }

    @Test
    void theBudgetIsCheckedByTheConfig() {
        XQueueConfig config = XQueueConfig.defaults("q");
        assertThat(config.drainBudget()).as("the defaults' window moves").isEqualTo(XQueueConfig.DEFAULT_DRAIN_BUDGET);
        assertThat(new XQueueConfig("q", 16, 8).drainBudget()).as("a window given in commands is fixed").isZero();
        assertThat(config.withDrainBudget(Duration.ZERO).threshold()).as("fixed at the ceiling").isEqualTo(64);
        assertThat(config.withDrainBudget(Duration.ofMillis(1)).drainBudget()).isEqualTo(Duration.ofMillis(1));
        assertThat(config.withDrainBudget(Duration.ofMillis(1)).withThreshold(64).drainBudget()).as("kept by the other copies")
                .isEqualTo(Duration.ofMillis(1));
        assertThatThrownBy(() -> config.withDrainBudget(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drain budget");
        assertThatThrownBy(() -> config.withDrainBudget(XQueueConfig.MAX_DRAIN_BUDGET.plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drain budget");
        assertThatThrownBy(() -> config.withDrainBudget(null)).isInstanceOf(NullPointerException.class);
    }
}
