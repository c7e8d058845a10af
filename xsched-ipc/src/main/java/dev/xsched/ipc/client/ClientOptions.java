package dev.xsched.ipc.client;

import dev.xsched.core.SpinSetting;

import java.time.Duration;
import java.util.Objects;

/**
 * How a process's connection to the scheduler server behaves.
 *
 * @param firstRetry      the wait before the first reconnection attempt; doubled per failure
 * @param maxRetry        the longest wait between attempts
 * @param countersPeriod  how often queue counters for {@code xsched top} are sent (only when they moved)
 * @param spin            how long the reading thread checks the socket without blocking before it
 *                        sleeps in the kernel, after each wake-up: trades a bounded stretch of one
 *                        core for less wake-up latency on a decision (0: never spin)
 */
public record ClientOptions(Duration firstRetry, Duration maxRetry, Duration countersPeriod, Duration spin) {
    /** The system property that sets {@link #spin()} in microseconds for {@link #fromEnvironment}. */
    public static final String SPIN_PROPERTY = "xsched.ipc.spinMicros";
    /** The environment variable that sets {@link #spin()} in microseconds where the property is not set. */
    public static final String SPIN_VARIABLE = "XSCHED_IPC_SPIN_US";

    /**
     * Checks the values.
     *
     * @param firstRetry     the first reconnection wait, &gt; 0
     * @param maxRetry       the longest wait, &gt;= {@code firstRetry}
     * @param countersPeriod the period of counter reports, at least 1 ms (the I/O thread wakes once per period)
     * @param spin           the reader's spin before it blocks, 0 to 10 ms
     * @throws IllegalArgumentException if a value is out of range
     */
    public ClientOptions {
        Objects.requireNonNull(firstRetry, "firstRetry");
        Objects.requireNonNull(maxRetry, "maxRetry");
        Objects.requireNonNull(countersPeriod, "countersPeriod");
        SpinSetting.check(Objects.requireNonNull(spin, "spin"));
        if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("retry waits must be > 0 with max >= first, got " + firstRetry + ", " + maxRetry);
        }
        if (countersPeriod.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("the counters period must be at least 1 ms, got " + countersPeriod);
        }
    }

    /**
     * 20 ms doubling to 1 s; counters every second; no spinning.
     *
     * @return the options {@code XScheduler.builder().server(path)} uses
     */
    public static ClientOptions defaults() {
        return new ClientOptions(Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO);
    }

    /**
     * {@link #defaults()}, with {@link #spin()} from the system property {@value #SPIN_PROPERTY}, else
     * the environment variable {@value #SPIN_VARIABLE}, where set.
     *
     * @return the defaults with the spin the environment asks for
     * @throws IllegalArgumentException if the setting is not a number of microseconds
     */
    public static ClientOptions fromEnvironment() {
        return withSpin(System.getProperty(SPIN_PROPERTY, System.getenv(SPIN_VARIABLE)));
    }

    static ClientOptions withSpin(String spinMicros) {
        ClientOptions defaults = defaults();
        return new ClientOptions(defaults.firstRetry(), defaults.maxRetry(), defaults.countersPeriod(),
                SpinSetting.parse(spinMicros, SPIN_PROPERTY, SPIN_VARIABLE));
    }
}
