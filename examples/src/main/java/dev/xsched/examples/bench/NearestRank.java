package dev.xsched.examples.bench;

/**
 * Nearest-rank percentiles: the P-th percentile of n sorted values is the value of rank
 * ceil(P / 100 * n) (1-based). Computed in whole numbers, since in doubles 99.9 / 100 * 1000 is
 * 999.0000000000001, whose ceiling would make the P99.9 of 1,000 values their maximum.
 */
public final class NearestRank {
    private NearestRank() {
    }

    /**
     * The 0-based index of the {@code percent} percentile among {@code n} sorted values.
     *
     * @param percent in (0, 100], used to a thousandth of a percent (P99.999 at most)
     * @throws IllegalArgumentException if {@code n} is not positive or {@code percent} is outside (0, 100]
     */
    public static int index(int n, double percent) {
        if (n <= 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("a percentile is in (0, 100], got " + percent);
        }
        long thousandths = Math.round(percent * 1000);
        long rank = Math.ceilDiv(thousandths * n, 100_000L);
        return (int) Math.max(0, Math.min(n - 1, rank - 1));
    }
}
