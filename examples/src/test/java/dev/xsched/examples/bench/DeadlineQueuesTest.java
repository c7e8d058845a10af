package dev.xsched.examples.bench;

import dev.xsched.examples.resnet.SystemProperties;
import dev.xsched.hip.PriorityRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the deadline benchmark's queues are set up: stream priorities ranked by job (as
 * {@code native-priority} ranks them, and the xsched modes' deadline queues by default), and the
 * property that turns the ranking off.
 */
class DeadlineQueuesTest {
    @Test
    void jobsAreRankedFromTheGreatestPriorityToTheLeast() {
        PriorityRange cuda = new PriorityRange(0, -5);  // CUDA: lower numbers run first
        assertThat(new int[] {BenchQueues.ranked(cuda, 0, 3), BenchQueues.ranked(cuda, 1, 3), BenchQueues.ranked(cuda, 2, 3)})
                .containsExactly(-5, -2, 0); // the middle one: -2.5 rounded half up
        assertThat(BenchQueues.ranked(cuda, 0, 1)).as("a job alone stays at the least").isZero();
        PriorityRange two = new PriorityRange(0, -1);
        assertThat(new int[] {BenchQueues.ranked(two, 0, 2), BenchQueues.ranked(two, 1, 2)}).containsExactly(-1, 0);
    }

    @Test
    void theDeadlineQueuesAreRankedUnlessThePropertySaysFalse() {
        String name = PolicyBenchmark.DEADLINE_RANKED_STREAMS_PROPERTY;
        assertThat(with(name, null)).isTrue();
        assertThat(with(name, "true")).isTrue();
        assertThat(with(name, "false")).isFalse();
        assertThatThrownBy(() -> with(name, "no")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name).hasMessageContaining("'no'");
    }

    private static boolean with(String name, String value) {
        return SystemProperties.restoring(name, () -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
            return PolicyBenchmark.deadlineRankedStreams();
        });
    }
}
