package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NearestRankTest {
    @Test
    void theP999OfAThousandValuesIsTheSecondLargestNotTheMaximum() {
        // In doubles 99.9 / 100 * 1000 is 999.0000000000001: its ceiling, rank 1000, is the maximum.
        assertThat(NearestRank.index(1000, 99.9)).isEqualTo(998);
        assertThat(NearestRank.index(10_000, 99.9)).isEqualTo(9989);
        assertThat(NearestRank.index(3, 50)).isEqualTo(1);
        assertThat(NearestRank.index(1, 99.9)).isZero();
        assertThat(NearestRank.index(7, 100)).isEqualTo(6);
    }

    @Test
    void everyIndexIsTheExactNearestRank() {
        double[] percents = {0.001, 1, 25, 50, 90, 95, 99, 99.5, 99.9, 99.99, 99.999, 100};
        for (int n = 1; n <= 20_000; n++) {
            for (double p : percents) {
                int exactRank = new BigDecimal(Double.toString(p)).multiply(BigDecimal.valueOf(n))
                        .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING).intValueExact();
                assertThat(NearestRank.index(n, p)).as("P%s of %d values", p, n).isEqualTo(Math.max(1, exactRank) - 1);
            }
        }
    }

    @Test
    void nothingOrAPercentileOutOfRangeIsRefused() {
        assertThatThrownBy(() -> NearestRank.index(0, 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NearestRank.index(5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NearestRank.index(5, 100.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NearestRank.index(5, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
