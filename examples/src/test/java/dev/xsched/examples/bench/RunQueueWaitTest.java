package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunQueueWaitTest {
    @Test
    void theRunDelayIsTheSecondFieldOfASchedstatLine() {
        assertThat(RunQueueWait.fields("5820071 16281 2\n")[1]).isEqualTo(16281);
        assertThatThrownBy(() -> RunQueueWait.fields("5820071 16281")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a schedstat line: '5820071 16281'");
        assertThatThrownBy(() -> RunQueueWait.fields("a b c")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDifferenceIsUnknownWhereEitherReadingIs() {
        assertThat(RunQueueWait.millisBetween(1_000_000, 4_500_000)).isEqualTo(3.5);
        assertThat(RunQueueWait.millisBetween(-1, 4_500_000)).isNaN();
        assertThat(RunQueueWait.millisBetween(1_000_000, -1)).isNaN();
    }
}
