package dev.xsched.policies;

import dev.xsched.hip.PriorityRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HardwarePrioritiesTest {
    private static final PriorityRange H200 = new PriorityRange(0, -5);

    @Test
    void zeroAndBelowMapToTheDefaultPositivePrioritiesSpreadOverTheHigherLevels() {
        assertThat(HardwarePriorities.streamPriorityFor(-255, H200)).isZero();
        assertThat(HardwarePriorities.streamPriorityFor(0, H200)).isZero();
        assertThat(HardwarePriorities.streamPriorityFor(1, H200)).isEqualTo(-1);
        assertThat(HardwarePriorities.streamPriorityFor(51, H200)).isEqualTo(-1);
        assertThat(HardwarePriorities.streamPriorityFor(52, H200)).isEqualTo(-2);
        assertThat(HardwarePriorities.streamPriorityFor(204, H200)).isEqualTo(-4);
        assertThat(HardwarePriorities.streamPriorityFor(205, H200)).isEqualTo(-5);
        assertThat(HardwarePriorities.streamPriorityFor(255, H200)).isEqualTo(-5);
        assertThat(HardwarePriorities.streamPriorityFor(9999, H200)).isEqualTo(-5);
    }

    @Test
    void theResultIsAlwaysInsideTheRangeAndMonotonic() {
        for (PriorityRange range : new PriorityRange[] {H200, new PriorityRange(0, 0), new PriorityRange(3, -7), new PriorityRange(1, 0)}) {
            int previous = Integer.MAX_VALUE;
            for (int p = -300; p <= 300; p++) {
                int hw = HardwarePriorities.streamPriorityFor(p, range);
                assertThat(range.contains(hw)).isTrue();
                assertThat(hw).isLessThanOrEqualTo(previous);
                previous = hw;
            }
            assertThat(HardwarePriorities.streamPriorityFor(255, range)).isEqualTo(range.greatest());
        }
    }
}
