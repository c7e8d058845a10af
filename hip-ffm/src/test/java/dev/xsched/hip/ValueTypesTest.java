package dev.xsched.hip;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

class ValueTypesTest {
    @Test
    void dimensionsMustBePositive() {
        assertThatThrownBy(() -> Dim3.of(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> Dim3.of(4, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Dim3.of(65535, 65535, 64).volume()).isEqualTo(65535L * 65535 * 64);
    }

    @Test
    void launchConfigRejectsNegativeSharedMemory() {
        assertThatThrownBy(() -> LaunchConfig.of(1, 1).withSharedMemory(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sharedMemoryBytes");
    }

    @Test
    void priorityRangeClampsIntoItselfAndLowerNumbersAreHigherPriorities() {
        qt().forAll(integers().between(-10, 0), integers().between(0, 5), integers().between(-100, 100))
                .checkAssert((greatest, span, p) -> {
                    PriorityRange range = new PriorityRange(greatest + span, greatest);
                    assertThat(range.contains(range.clamp(p))).isTrue();
                    assertThat(range.levels()).isEqualTo(span + 1);
                    assertThat(range.hasPriorities()).isEqualTo(span > 0);
                    if (range.contains(p)) {
                        assertThat(range.clamp(p)).isEqualTo(p);
                    }
                });
        assertThatThrownBy(() -> new PriorityRange(-5, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyErrorCodeHasOneEntry() {
        assertThat(HipError.fromCode(100)).contains(HipError.NO_DEVICE);
        assertThat(HipError.fromCode(12345)).isEmpty();
        HipException e = HipException.of(HipError.ILLEGAL_ADDRESS, "hipStreamSynchronize");
        assertThat(e.is(HipError.ILLEGAL_ADDRESS)).isTrue();
        assertThat(e).hasMessage("hipStreamSynchronize failed: hipErrorIllegalAddress (700): an illegal memory access was encountered");
    }
}
