package dev.xsched.ipc.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a process's connection to the scheduler server behaves.
 *
 * @param firstRetry      the wait before the first reconnection attempt; doubled per failure
 * @param maxRetry        the longest wait between attempts
 * @param countersPeriod  how often queue counters for {@code xsched top} are sent (only when they moved)
 */
public record ClientOptions(Duration firstRetry, Duration maxRetry, Duration countersPeriod) {
    /**
     * Checks the values.
     *
     * @param firstRetry     the first reconnection wait, &gt; 0
     * @param maxRetry       the longest wait, &gt;= {@code firstRetry}
     * @param countersPeriod the period of counter reports
     * @throws IllegalArgumentException if the retry waits are out of range
     */
    public ClientOptions {
        Objects.requireNonNull(firstRetry, "firstRetry");
        Objects.requireNonNull(maxRetry, "maxRetry");
        Objects.requireNonNull(countersPeriod, "countersPeriod");
        if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("retry waits must be > 0 with max >= first, got " + firstRetry + ", " + maxRetry);
        }
    }

    /**
     * 20 ms doubling to 1 s; counters every second.
     *
     * @return the options {@code XScheduler.builder().server(path)} uses
     */
    public static ClientOptions defaults() {
        return new ClientOptions(Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(1));
    }
}
