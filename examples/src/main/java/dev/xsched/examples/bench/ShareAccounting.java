package dev.xsched.examples.bench;

import java.util.List;

/**
 * Turns the completion times of always-busy jobs into shares of GPU time. Every job's kernels have
 * the same, calibrated standalone length and each fills the device, so a job's GPU time is its
 * completed kernels times that length, and its share is its completed kernels over all completed
 * kernels: per window (shares over time) and over the whole measured interval.
 */
final class ShareAccounting {
    private final long from;
    private final long to;
    private final long window;
    private final long[][] counts;

    /**
     * @param completions per job, the completion times (ns, any order) of its chunks
     * @param kernelsPerCompletion kernels each completion stands for
     * @param from start of the measured interval (ns, inclusive)
     * @param to end (exclusive); a last partial window is dropped from the windows (not the totals)
     * @param window window length (ns)
     */
    ShareAccounting(List<long[]> completions, int kernelsPerCompletion, long from, long to, long window) {
        if (to <= from || window <= 0 || kernelsPerCompletion < 1) {
            throw new IllegalArgumentException("need from < to, window > 0, kernelsPerCompletion >= 1");
        }
        this.from = from;
        this.to = to;
        this.window = window;
        int windows = (int) Math.max(1, (to - from) / window);
        this.counts = new long[completions.size()][windows + 1]; // the last column: the partial window
        for (int j = 0; j < completions.size(); j++) {
            for (long t : completions.get(j)) {
                if (t >= from && t < to) {
                    int w = (int) Math.min(windows, (t - from) / window);
                    counts[j][w] += kernelsPerCompletion;
                }
            }
        }
    }

    int jobs() {
        return counts.length;
    }

    /** Full windows. */
    int windows() {
        return counts[0].length - 1;
    }

    /** Length of the measured interval in seconds. */
    double seconds() {
        return (to - from) / 1e9;
    }

    long windowNanos() {
        return window;
    }

    /** Kernels job {@code job} completed in the measured interval. */
    long kernels(int job) {
        long sum = 0;
        for (long c : counts[job]) {
            sum += c;
        }
        return sum;
    }

    long totalKernels() {
        long sum = 0;
        for (int j = 0; j < jobs(); j++) {
            sum += kernels(j);
        }
        return sum;
    }

    /** Job's share of all completed kernels (= of GPU time), NaN when nothing completed. */
    double share(int job) {
        long total = totalKernels();
        return total == 0 ? Double.NaN : kernels(job) / (double) total;
    }

    /** Job's share in full window {@code w}, NaN when nothing completed in it. */
    double share(int job, int w) {
        long total = 0;
        for (long[] c : counts) {
            total += c[w];
        }
        return total == 0 ? Double.NaN : counts[job][w] / (double) total;
    }

    /** Busy fraction of the device: completed kernels times the standalone kernel time over the interval. */
    double utilization(double kernelNanos) {
        return totalKernels() * kernelNanos / (to - from);
    }

    /** Ratio of the two jobs' GPU time (job a over job b), NaN when b has none. */
    double ratio(int a, int b) {
        return kernels(b) == 0 ? Double.NaN : kernels(a) / (double) kernels(b);
    }
}
