package dev.xsched.examples.scenario;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The open-loop client's wait: never back before the arrival (no bound on how late: that is measured, not asserted). */
class ArrivalWaitTest {
    @Test
    void returnsNoEarlierThanTheArrivalWhetherItParksFirstOrOnlySpins() {
        for (long ahead : new long[]{5_000_000, ArrivalWait.SPIN_NANOS / 2, 0, -1_000}) {
            long arrival = System.nanoTime() + ahead;
            ArrivalWait.until(arrival);
            assertThat(System.nanoTime() - arrival).as("%d ns ahead", ahead).isGreaterThanOrEqualTo(0);
        }
    }
}
