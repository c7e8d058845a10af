package dev.xsched.core;

import java.util.Objects;

/**
 * How an {@link XQueue} releases commands.
 *
 * @param name      a name for logs, JFR and JMX
 * @param threshold at most this many commands are in flight on the hardware (default 16): the
 *                  bound on how much already-released work a suspend has to wait for
 * @param batchSize every this many released commands a sync point (an event) is recorded
 *                  (default 8): how often completion is observed
 */
public record XQueueConfig(String name, int threshold, int batchSize) {
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

    public static XQueueConfig defaults(String name) {
        return new XQueueConfig(name, DEFAULT_THRESHOLD, DEFAULT_BATCH_SIZE);
    }

    public XQueueConfig withThreshold(int threshold) {
        return new XQueueConfig(name, threshold, Math.min(batchSize, threshold));
    }

    public XQueueConfig withBatchSize(int batchSize) {
        return new XQueueConfig(name, threshold, batchSize);
    }
}
