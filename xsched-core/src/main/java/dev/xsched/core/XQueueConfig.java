package dev.xsched.core;

import java.util.Objects;

/**
 * How an {@link XQueue} releases commands.
 *
 * @param name             a name for logs, JFR and JMX
 * @param threshold        at most this many commands are in flight on the hardware (default 16): the
 *                         bound on how much already-released work a suspend has to wait for
 * @param batchSize        every this many released commands a sync point (an event) is recorded
 *                         (default 8): how often completion is observed
 * @param cooperativeYield whether a suspend asks the queue's running
 *                         {@linkplain dev.xsched.hip.YieldableKernels yieldable} kernels to stop early
 *                         (default true); they are launched again on resume. Without it they run to
 *                         the end like any kernel. A policy that switches queues often (time slices)
 *                         may turn it off where blocks restart from scratch and would redo work.
 */
public record XQueueConfig(String name, int threshold, int batchSize, boolean cooperativeYield) {
    public static final int DEFAULT_THRESHOLD = 16;
    public static final int DEFAULT_BATCH_SIZE = 8;

    public XQueueConfig {
        Objects.requireNonNull(name, "name");
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be >= 1, got " + threshold);
        }
        if (batchSize < 1 || batchSize > threshold) {
            throw new IllegalArgumentException("batch size must be in [1, threshold=" + threshold + "], got " + batchSize);
        }
    }

    /** With cooperative yield on. */
    public XQueueConfig(String name, int threshold, int batchSize) {
        this(name, threshold, batchSize, true);
    }

    public static XQueueConfig defaults(String name) {
        return new XQueueConfig(name, DEFAULT_THRESHOLD, DEFAULT_BATCH_SIZE);
    }

    public XQueueConfig withThreshold(int threshold) {
        return new XQueueConfig(name, threshold, Math.min(batchSize, threshold), cooperativeYield);
    }

    public XQueueConfig withBatchSize(int batchSize) {
        return new XQueueConfig(name, threshold, batchSize, cooperativeYield);
    }

    public XQueueConfig withCooperativeYield(boolean cooperativeYield) {
        return new XQueueConfig(name, threshold, batchSize, cooperativeYield);
    }
}
