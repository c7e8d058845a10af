package dev.xsched.examples.scenario;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The open-loop client's wait: never back before the arrival (no bound on how late: that is measured, not asserted). */
class ArrivalWaitTest {
    @Test
    void returnsNoEarlierThanTheArrivalWhetherItParksFirstOrOnlySpins() {
        for (ArrivalWait wait : new ArrivalWait[] {ArrivalWait.fromProperty(), new ArrivalWait(0), new ArrivalWait(2_000_000)}) {
            for (long ahead : new long[] {5_000_000, wait.spinNanos() / 2, 0, -1_000}) {
                long arrival = System.nanoTime() + ahead;
                wait.park(arrival);
                wait.spin(arrival);
                assertThat(System.nanoTime() - arrival).as("%d ns ahead, spin %d ns", ahead, wait.spinNanos())
                        .isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void unsetTheSpinIsLongOnlyWhereTheHostHasCoresToSpare() {
        assertThat(ArrivalWait.fromProperty(16).spinMicros()).isEqualTo(4000);
        assertThat(ArrivalWait.fromProperty(4).spinMicros()).isEqualTo(4000);
        assertThat(ArrivalWait.fromProperty(3).spinMicros()).isEqualTo(300);
        assertThat(ArrivalWait.fromProperty(2).spinMicros()).isEqualTo(300);
        assertThat(ArrivalWait.fromProperty().spinMicros())
                .isEqualTo(ArrivalWait.defaultSpinMicros(Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void theSpinComesFromItsPropertyWithinOnePeriod() {
        try {
            System.setProperty(ArrivalWait.SPIN_PROPERTY, "5000");
            assertThat(ArrivalWait.fromProperty().spinNanos()).isEqualTo(5_000_000);
            assertThat(ArrivalWait.fromProperty(2).spinNanos()).as("the property, whatever the host").isEqualTo(5_000_000);
            assertThat(ArrivalWait.fromProperty().note()).isEqualTo("the client spins for 5000 us before each arrival "
                    + "(xsched.scenario.arrivalSpinMicros; unset: 4000 us with at least 4 processors, 300 us with fewer)");
            System.setProperty(ArrivalWait.SPIN_PROPERTY, "50001");
            assertThatThrownBy(ArrivalWait::fromProperty).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("xsched.scenario.arrivalSpinMicros must be from 0 to 50000 microseconds");
        } finally {
            System.clearProperty(ArrivalWait.SPIN_PROPERTY);
        }
    }
}
