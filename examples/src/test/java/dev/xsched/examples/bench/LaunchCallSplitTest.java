package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LaunchCallSplitTest {
    @Test
    void theSlowestOnePercentAreTheRoundTripsAtOrOverTheNearestRankP99() {
        // 200 round trips of 10 us (1 + 4 + 4 + 1); two slow after the native launch (56 and 66 us
        // in all), one slow in its synchronize() (39 us). The P99 by nearest rank is the 198th of
        // 200 sorted, the 39 us one: all three are taken, and each part's median over them names
        // the part the tail spends its time in (after the launch), however slow the slowest one.
        int n = 200;
        long[] before = filled(n, 1_000);
        long[] nativeLaunch = filled(n, 4_000);
        long[] after = filled(n, 4_000);
        long[] synchronize = filled(n, 1_000);
        after[17] = 50_000;
        after[140] = 60_000;
        synchronize[63] = 30_000;

        LaunchCallSplit.Slowest slowest = LaunchCallSplit.Slowest.of(before, nativeLaunch, after, synchronize, n);

        assertThat(slowest.count()).isEqualTo(3);
        assertThat(slowest.beforeMicros()).isEqualTo(1.0);
        assertThat(slowest.nativeLaunchMicros()).isEqualTo(4.0);
        assertThat(slowest.afterMicros()).isEqualTo(50.0);
        assertThat(slowest.synchronizeMicros()).isEqualTo(1.0);
    }

    @Test
    void onlyTheFirstNRoundTripsCountAndTiesAtTheP99AreAllTaken() {
        // Arrays longer than n (the measurement fills them up to the round trips it split): the
        // tail beyond n, however slow, is not looked at. All equal: every one is at the P99.
        long[] parts = filled(10, 2_000);
        long[] slowBeyond = filled(10, 2_000);
        slowBeyond[9] = 1_000_000;

        LaunchCallSplit.Slowest slowest = LaunchCallSplit.Slowest.of(parts, parts, parts, slowBeyond, 9);

        assertThat(slowest.count()).isEqualTo(9);
        assertThat(slowest.synchronizeMicros()).isEqualTo(2.0);
    }

    @Test
    void noRoundTripsIsRefused() {
        long[] none = new long[4];
        assertThatThrownBy(() -> LaunchCallSplit.Slowest.of(none, none, none, none, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no round trips");
    }

    private static long[] filled(int n, long nanos) {
        long[] a = new long[n];
        Arrays.fill(a, nanos);
        return a;
    }
}
