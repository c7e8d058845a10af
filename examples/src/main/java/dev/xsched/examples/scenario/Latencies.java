package dev.xsched.examples.scenario;

import java.util.Arrays;

/** Collected latencies of one mode, in nanoseconds, with nearest-rank percentiles. */
final class Latencies {
    private long[] values = new long[1024];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int count() {
        return size;
    }

    /** Sorted copy of the values. */
    long[] sorted() {
        long[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }

    /** The nearest-rank percentile (p in (0, 100]) in milliseconds; NaN when empty. */
    double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = sorted();
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size, rank) - 1)] / 1e6;
    }

    double maxMillis() {
        return size == 0 ? Double.NaN : sorted()[size - 1] / 1e6;
    }

    double meanMillis() {
        return size == 0 ? Double.NaN : Arrays.stream(values, 0, size).average().orElse(Double.NaN) / 1e6;
    }
}
