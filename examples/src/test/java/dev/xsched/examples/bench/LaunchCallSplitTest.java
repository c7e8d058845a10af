package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LaunchCallSplitTest {
    @Test
    void theSlowestOnePercentAreTheRoundTripsAtOrOverTheNearestRankP99() {
        // 100 round trips of 10 us (1 + 4 + 4 + 1); one slow after the native launch (59 us), one
        // slow in its synchronize() (39 us). The P99 by nearest rank is the 99th of 100 sorted, the
        // 39 us one: both are taken, and their mean names where each part's time went.
        int n = 100;
        long[] before = filled(n, 1_000);
        long[] nativeLaunch = filled(n, 4_000);
        long[] after = filled(n, 4_000);
        long[] synchronize = filled(n, 1_000);
        after[17] = 50_000;
        synchronize[63] = 30_000;

        LaunchCallSplit.Slowest slowest = LaunchCallSplit.Slowest.of(before, nativeLaunch, after, synchronize, n);

        assertThat(slowest.count()).isEqualTo(2);
        assertThat(slowest.beforeMicros()).isCloseTo(1.0, within(1e-9));
        assertThat(slowest.nativeLaunchMicros()).isCloseTo(4.0, within(1e-9));
        assertThat(slowest.afterMicros()).isCloseTo(27.0, within(1e-9));
        assertThat(slowest.synchronizeMicros()).isCloseTo(15.5, within(1e-9));
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
        assertThat(slowest.synchronizeMicros()).isCloseTo(2.0, within(1e-9));
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
