package dev.xsched.core;

import java.time.Duration;

/**
 * A bounded spin before a thread blocks in the kernel, set in microseconds by a system property or
 * an environment variable: the scheduling thread ({@code XSCHED_SCHEDULER_SPIN_US},
 * {@link XScheduler.Builder#eventSpin}), and in module {@code dev.xsched.ipc} the client's reader
 * ({@code XSCHED_IPC_SPIN_US}) and the server's selector ({@code XSCHED_SERVER_SPIN_US}) read
 * theirs here. A spin trades a bounded stretch of one core after each wake-up for the latency of
 * the next one, which only pays on a host with idle cores.
 */
public final class SpinSetting {
    /** The longest spin either side accepts. */
    public static final Duration MAX = Duration.ofMillis(10);

    private SpinSetting() {
    }

    /**
     * Reads a spin from a system property, else an environment variable.
     *
     * @param property the property's name
     * @param variable the variable's name
     * @return the spin, zero when neither is set
     * @throws IllegalArgumentException if the setting is not a number of microseconds from 0 to {@link #MAX}
     */
    public static Duration fromEnvironment(String property, String variable) {
        return parse(System.getProperty(property, System.getenv(variable)), property, variable);
    }

    /**
     * Reads a spin.
     *
     * @param micros   the setting, or null or blank for none
     * @param property the property's name, for the message
     * @param variable the variable's name, for the message
     * @return the spin, zero when not set
     * @throws IllegalArgumentException if it is not a number of microseconds from 0 to {@link #MAX}
     */
    public static Duration parse(String micros, String property, String variable) {
        if (micros == null || micros.isBlank()) {
            return Duration.ZERO;
        }
        try {
            return check(Duration.ofNanos(Math.multiplyExact(Long.parseLong(micros.strip()), 1_000L)));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(property + " / " + variable + " must be a number of microseconds, got '" + micros
                    + "'");
        }
    }

    /**
     * Checks a spin's range.
     *
     * @param spin the spin
     * @return {@code spin}
     * @throws IllegalArgumentException if it is negative or above {@link #MAX}
     */
    public static Duration check(Duration spin) {
        if (spin.isNegative() || spin.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("spin must be between 0 and 10 ms, got " + spin);
        }
        return spin;
    }
}
