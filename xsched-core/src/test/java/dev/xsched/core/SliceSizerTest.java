package dev.xsched.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class SliceSizerTest {
    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    @Test
    void blockDurationIsKernelTimeOverWaves() {
        SliceSizer sizer = new SliceSizer(SliceSizer.DEFAULT_TARGET, 132, 2);
        assertThat(sizer.waves(132)).isEqualTo(1);
        assertThat(sizer.waves(133)).isEqualTo(2);
        assertThat(sizer.waves(132 * 20)).isEqualTo(20);
        assertThat(sizer.blockNanos(40 * MS, 132 * 20)).isEqualTo(2 * MS);
    }

    @Test
    void kIsWholeWavesWithinTheTargetPerInFlightSlice() {
        // 200 us target, 2 slices in flight: 100 us per slice; 20 us blocks -> 5 waves of 132.
        SliceSizer sizer = new SliceSizer(Duration.ofNanos(200 * US), 132, 2);
        assertThat(sizer.blocksPerSliceForBlock(20 * US, 100_000)).isEqualTo(5 * 132);
        assertThat(sizer.predictedWaitNanos(5 * 132, 20 * US)).isEqualTo(200 * US);
        // Blocks longer than the budget: one wave, the least that keeps every slot busy.
        assertThat(sizer.blocksPerSliceForBlock(2 * MS, 100_000)).isEqualTo(132);
        assertThat(sizer.predictedWaitNanos(132, 2 * MS)).isEqualTo(4 * MS);
        // Never more than the grid.
        assertThat(sizer.blocksPerSliceForBlock(1, 500)).isEqualTo(500);
        // From a kernel time: ResNet-50-like 40 ms kernel of 20 waves of 2 ms blocks.
        assertThat(sizer.blocksPerSlice(40 * MS, 132 * 20)).isEqualTo(132);
    }

    @Test
    void invalidInputIsRejected() {
        assertThatThrownBy(() -> new SliceSizer(Duration.ZERO, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SliceSizer(SliceSizer.DEFAULT_TARGET, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SliceSizer(SliceSizer.DEFAULT_TARGET, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        SliceSizer sizer = new SliceSizer(SliceSizer.DEFAULT_TARGET, 4, 1);
        assertThatThrownBy(() -> sizer.blocksPerSliceForBlock(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sizer.blocksPerSliceForBlock(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kIsAlwaysValidAndMeetsTheTargetWheneverOneWavePerSliceDoes() {
        qt().forAll(longs().between(1, 1_000 * MS), integers().between(1, 1024), integers().between(1, 64),
                        longs().between(1, 100 * MS))
                .checkAssert((target, slots, inFlight, block) -> {
                  SliceSizer sizer = new SliceSizer(Duration.ofNanos(target), slots, inFlight);
                  for (int grid : new int[] {1, Math.max(1, slots - 1), slots, 7 * slots + 3, Integer.MAX_VALUE}) {
                    int k = sizer.blocksPerSliceForBlock(block, grid);
                    assertThat(k).isBetween(1, grid);
                    assertThat(k == grid || k % slots == 0).as("whole waves or the whole grid").isTrue();
                    if ((long) inFlight * block <= target) {
                        assertThat(sizer.predictedWaitNanos(k, block)).isLessThanOrEqualTo(target);
                    } else {
                        assertThat(k).isEqualTo(Math.min(grid, slots));
                    }
                  }
                });
    }
}
