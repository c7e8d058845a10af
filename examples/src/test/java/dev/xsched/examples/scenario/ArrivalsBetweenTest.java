package dev.xsched.examples.scenario;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ModeRunner#arrivalsBetween}: how many requests of the window an overloaded client never submitted. */
class ArrivalsBetweenTest {
    @Test
    void countsTheArrivalsInAHalfOpenWindow() {
        // arrivals at 100, 110, 120, ...
        assertThat(ModeRunner.arrivalsBetween(100, 130, 100, 10)).isEqualTo(3);
        assertThat(ModeRunner.arrivalsBetween(105, 130, 100, 10)).isEqualTo(2);
        assertThat(ModeRunner.arrivalsBetween(105, 131, 100, 10)).isEqualTo(3);
        assertThat(ModeRunner.arrivalsBetween(130, 130, 100, 10)).isZero();
        assertThat(ModeRunner.arrivalsBetween(0, 100, 100, 10)).as("none before the first").isZero();
        assertThat(ModeRunner.arrivalsBetween(0, 101, 100, 10)).isEqualTo(1);
    }
}
