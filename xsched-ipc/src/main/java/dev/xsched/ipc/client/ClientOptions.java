package dev.xsched.ipc.client;

import dev.xsched.core.SpinSetting;

import java.time.Duration;
import java.util.Locale;
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
 * @param remoteStop      whether the process takes part in the cross-process stop: its queues that
 *                        can wait on host memory get a stop word that other processes advance
 *                        before their first kernel, and its queues advance the words the server
 *                        names ({@link dev.xsched.ipc.protocol.Message.RaiseOnReady}); the period
 *                        of counters is also how long a queue stopped so may wait for a decision
 *                        before the server's latest one is applied again. Off unless asked for:
 *                        an armed queue keeps a wait pending on the device for its whole life, and
 *                        driver calls that wait for the whole context wait for it too (a free and
 *                        a module load blocked until the word moved, on an H100, 2026-12-05). The
 *                        queues let their waits go around hip-ffm's such calls
 *                        ({@link dev.xsched.hip.Device#onDeviceWideCalls}), but not around those
 *                        of code that bypasses hip-ffm (another library's {@code cudaFree} in the
 *                        process), which still wait for the word: a process turns it on where no
 *                        such code runs while its queues are armed
 *                        ({@link dev.xsched.core.XQueue#armRemoteStop})
 * @param serverTimeout   how long the connection may carry no frame at all from the server (which
 *                        pings each scheduling client every second) before the server counts as
 *                        lost, as on a closed socket: every queue runs and the client reconnects.
 *                        A server frozen by {@code SIGSTOP} thus does not keep queues suspended
 *                        for ever; 10 s by default
 */
public record ClientOptions(Duration firstRetry, Duration maxRetry, Duration countersPeriod, Duration spin,
                            boolean remoteStop, Duration serverTimeout) {
    /** The system property that sets {@link #spin()} in microseconds for {@link #fromEnvironment}. */
    public static final String SPIN_PROPERTY = "xsched.ipc.spinMicros";
    /** The environment variable that sets {@link #spin()} in microseconds where the property is not set. */
    public static final String SPIN_VARIABLE = "XSCHED_IPC_SPIN_US";
    /** The system property that sets {@link #remoteStop()} ({@code true} or {@code false}) for {@link #fromEnvironment}. */
    public static final String REMOTE_STOP_PROPERTY = "xsched.ipc.remoteStop";
    /** The environment variable that sets {@link #remoteStop()} where the property is not set. */
    public static final String REMOTE_STOP_VARIABLE = "XSCHED_REMOTE_STOP";
    /** The default {@link #serverTimeout()}: ten of the server's default heartbeats. */
    public static final Duration DEFAULT_SERVER_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Checks the values.
     *
     * @param firstRetry     the first reconnection wait, &gt; 0
     * @param maxRetry       the longest wait, &gt;= {@code firstRetry}
     * @param countersPeriod the period of counter reports, at least 1 ms (the I/O thread wakes once per period)
     * @param spin           the reader's spin before it blocks, 0 to 10 ms
     * @param remoteStop     whether the process takes part in the cross-process stop
     * @param serverTimeout  how long the server may send nothing before it counts as lost, at least 1 ms
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
        if (Objects.requireNonNull(serverTimeout, "serverTimeout").compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("the server timeout must be at least 1 ms, got " + serverTimeout);
        }
    }

    /**
     * Options with the {@linkplain #DEFAULT_SERVER_TIMEOUT default server timeout}.
     *
     * @param firstRetry     the first reconnection wait, &gt; 0
     * @param maxRetry       the longest wait, &gt;= {@code firstRetry}
     * @param countersPeriod the period of counter reports, at least 1 ms
     * @param spin           the reader's spin before it blocks, 0 to 10 ms
     * @param remoteStop     whether the process takes part in the cross-process stop
     * @throws IllegalArgumentException if a value is out of range
     */
    public ClientOptions(Duration firstRetry, Duration maxRetry, Duration countersPeriod, Duration spin, boolean remoteStop) {
        this(firstRetry, maxRetry, countersPeriod, spin, remoteStop, DEFAULT_SERVER_TIMEOUT);
    }

    /**
     * Options without the cross-process stop (the four settings that came before it).
     *
     * @param firstRetry     the first reconnection wait, &gt; 0
     * @param maxRetry       the longest wait, &gt;= {@code firstRetry}
     * @param countersPeriod the period of counter reports, at least 1 ms
     * @param spin           the reader's spin before it blocks, 0 to 10 ms
     * @throws IllegalArgumentException if a value is out of range
     */
    public ClientOptions(Duration firstRetry, Duration maxRetry, Duration countersPeriod, Duration spin) {
        this(firstRetry, maxRetry, countersPeriod, spin, false);
    }

    /**
     * 20 ms doubling to 1 s; counters every second; no spinning; the cross-process stop off; the
     * server lost after 10 s without a frame.
     *
     * @return the options {@code XScheduler.builder().server(path)} uses
     */
    public static ClientOptions defaults() {
        return new ClientOptions(Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO, false,
                DEFAULT_SERVER_TIMEOUT);
    }

    /**
     * A copy with the cross-process stop on or off.
     *
     * @param on whether the process takes part in it
     * @return the copy
     */
    public ClientOptions withRemoteStop(boolean on) {
        return new ClientOptions(firstRetry, maxRetry, countersPeriod, spin, on, serverTimeout);
    }

    /**
     * A copy with another server timeout.
     *
     * @param timeout how long the server may send nothing before it counts as lost, at least 1 ms
     *                (and longer than the server's heartbeat, 1 s by default)
     * @return the copy
     * @throws IllegalArgumentException if {@code timeout} is below 1 ms
     */
    public ClientOptions withServerTimeout(Duration timeout) {
        return new ClientOptions(firstRetry, maxRetry, countersPeriod, spin, remoteStop, timeout);
    }

    /**
     * {@link #defaults()}, with {@link #spin()} from the system property {@value #SPIN_PROPERTY}, else
     * the environment variable {@value #SPIN_VARIABLE}, and {@link #remoteStop()} from the property
     * {@value #REMOTE_STOP_PROPERTY}, else the variable {@value #REMOTE_STOP_VARIABLE}, where set
     * (off where neither is).
     *
     * @return the defaults with what the environment asks for
     * @throws IllegalArgumentException if the spin is not a number of microseconds, or the switch
     *                                  neither {@code true} nor {@code false}
     */
    public static ClientOptions fromEnvironment() {
        return fromEnvironment(false);
    }

    /**
     * As {@link #fromEnvironment()}, with the cross-process stop {@code remoteStopUnlessSet} where
     * neither the property nor the variable says: for a program that knows it loads its modules
     * before it creates its queues (the demo's processes).
     *
     * @param remoteStopUnlessSet the switch where the environment leaves it unset
     * @return the defaults with what the environment asks for
     * @throws IllegalArgumentException as {@link #fromEnvironment()}
     */
    public static ClientOptions fromEnvironment(boolean remoteStopUnlessSet) {
        return withSettings(System.getProperty(SPIN_PROPERTY, System.getenv(SPIN_VARIABLE)),
                System.getProperty(REMOTE_STOP_PROPERTY, System.getenv(REMOTE_STOP_VARIABLE)), remoteStopUnlessSet);
    }

    static ClientOptions withSpin(String spinMicros) {
        return withSettings(spinMicros, null);
    }

    static ClientOptions withSettings(String spinMicros, String remoteStop) {
        return withSettings(spinMicros, remoteStop, false);
    }

    static ClientOptions withSettings(String spinMicros, String remoteStop, boolean remoteStopUnlessSet) {
        ClientOptions defaults = defaults();
        return new ClientOptions(defaults.firstRetry(), defaults.maxRetry(), defaults.countersPeriod(),
                SpinSetting.parse(spinMicros, SPIN_PROPERTY, SPIN_VARIABLE), parseSwitch(remoteStop, remoteStopUnlessSet),
                defaults.serverTimeout());
    }

    /** {@code true} or {@code false} in any case, or unset or blank for {@code unset}. */
    private static boolean parseSwitch(String value, boolean unset) {
        if (value == null || value.isBlank()) {
            return unset;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(REMOTE_STOP_PROPERTY + " / " + REMOTE_STOP_VARIABLE
                    + " must be true or false, got '" + value + "'");
        };
    }
}
