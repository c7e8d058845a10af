package dev.xsched.examples.bench;

import java.util.Arrays;

/**
 * Summary of measured durations in nanoseconds. Percentiles use the nearest-rank method
 * (the value at rank ceil(p * n) of the sorted samples), exactly as {@code launch_bench.c} does,
 * so the Java and C numbers compare like for like.
 */
public record LatencyStats(int count, double medianMicros, double p99Micros, double meanMicros,
                           double minMicros, double maxMicros) {

    public static LatencyStats of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long n : sorted) {
            sum += n;
        }
        return new LatencyStats(sorted.length, micros(nearestRank(sorted, 0.50)), micros(nearestRank(sorted, 0.99)),
                sum / sorted.length / 1000.0, micros(sorted[0]), micros(sorted[sorted.length - 1]));
    }

    /** The median, in microseconds, of the samples of {@code nanos} at {@code indices}. */
    static double medianMicrosAt(long[] nanos, int[] indices) {
        long[] picked = new long[indices.length];
        for (int k = 0; k < indices.length; k++) {
            picked[k] = nanos[indices[k]];
        }
        return of(picked).medianMicros();
    }

    /** The sample at rank ceil(p * n), 1-based ({@link NearestRank}); {@code p} in (0, 1]. */
    static long nearestRank(long[] sorted, double p) {
        return sorted[NearestRank.index(sorted.length, p * 100)];
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
