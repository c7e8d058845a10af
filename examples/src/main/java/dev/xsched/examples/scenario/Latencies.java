package dev.xsched.examples.scenario;

import org.HdrHistogram.Histogram;

import java.util.Arrays;

/**
 * The high-priority latencies of one mode, in nanoseconds: an HdrHistogram for the percentiles
 * (3 significant digits: every percentile within 0.1% of a recorded value) and the values
 * themselves for the CSV and the CDF. The latencies are open loop (from each request's scheduled
 * arrival), so no coordinated-omission correction is applied: a late request's wait is in its
 * own latency already.
 */
final class Latencies {
    /** Significant decimal digits the histogram keeps. */
    static final int DIGITS = 3;

    private final Histogram histogram = new Histogram(DIGITS);
    private long[] values = new long[1024];
    private int size;

    void add(long nanos) {
        histogram.recordValue(nanos);
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

    /** The percentile {@code p} (in (0, 100]) in milliseconds; NaN when empty. */
    double percentileMillis(double p) {
        return size == 0 ? Double.NaN : histogram.getValueAtPercentile(p) / 1e6;
    }

    double maxMillis() {
        return size == 0 ? Double.NaN : histogram.getMaxValue() / 1e6;
    }

    double meanMillis() {
        return size == 0 ? Double.NaN : histogram.getMean() / 1e6;
    }

    /** A copy of the histogram, stamped with the measured interval (epoch ms) and tagged with {@code tag}. */
    Histogram histogram(String tag, long startEpochMillis, long endEpochMillis) {
        Histogram copy = histogram.copy();
        copy.setTag(tag);
        copy.setStartTimeStamp(startEpochMillis);
        copy.setEndTimeStamp(endEpochMillis);
        return copy;
    }
}
