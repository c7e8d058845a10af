package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RunQueueWaitTest {
    @Test
    void theRunDelayIsTheSecondFieldOfASchedstatLine() {
        assertThat(RunQueueWait.parse("5820071 16281 2\n")).isEqualTo(16281);
        assertThatThrownBy(() -> RunQueueWait.parse("5820071 16281")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a schedstat line: '5820071 16281'");
        assertThatThrownBy(() -> RunQueueWait.parse("a b c")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDifferenceIsUnknownWhereEitherReadingIs() {
        assertThat(RunQueueWait.millisBetween(1_000_000, 4_500_000)).isEqualTo(3.5);
        assertThat(RunQueueWait.millisBetween(-1, 4_500_000)).isNaN();
        assertThat(RunQueueWait.millisBetween(1_000_000, -1)).isNaN();
    }

    @Test
    void onLinuxTheCallingThreadsWaitIsReadAndNeverFalls() {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/schedstat")), "no /proc/thread-self/schedstat here (not Linux)");
        long first = RunQueueWait.nanos();
        long second = RunQueueWait.nanos();
        assertThat(first).isNotNegative();
        assertThat(second).isGreaterThanOrEqualTo(first);
    }
}
