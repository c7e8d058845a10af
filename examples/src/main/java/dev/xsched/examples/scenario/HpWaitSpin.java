package dev.xsched.examples.scenario;

import dev.xsched.core.XQueueConfig;

import java.time.Duration;
import java.util.Optional;

/**
 * An experiment's knob, not a mode: how long the online model's thread polls its XQueue's sync
 * point before blocking on it, in the scheduled modes ({@code XQueueConfig.waitSpin}; the
 * baseline's plain stream is waited on with a synchronize that the CUDA driver spins on, while an
 * XQueue's waiter blocks after {@link XQueueConfig#DEFAULT_WAIT_SPIN}, and a request of 1.7 ms pays
 * the wake-up: docs/results.md). Set with {@code -Dxsched.scenario.hpWaitSpinMicros=N} (through
 * {@code XSCHED_JAVA_OPTS}); unset: the default.
 */
final class HpWaitSpin {
    static final String PROPERTY = "xsched.scenario.hpWaitSpinMicros";
    /** Ten seconds: longer than any request, so a mistyped unit fails rather than spinning for hours. */
    private static final long MAX_MICROS = 10_000_000;

    private HpWaitSpin() {
    }

    /**
     * The spin the system property asks for, if set.
     *
     * @throws IllegalArgumentException if the property is not a whole number of microseconds from 0 to 10,000,000
     */
    static Optional<Duration> fromProperty() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            return Optional.empty();
        }
        long micros;
        try {
            micros = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + " must be a whole number of microseconds, not '" + value + "'");
        }
        if (micros < 0 || micros > MAX_MICROS) {
            throw new IllegalArgumentException(PROPERTY + " must be from 0 to " + MAX_MICROS + " us, not " + micros);
        }
        return Optional.of(Duration.ofNanos(micros * 1000));
    }

    /** The online model's XQueue configuration: the defaults, with the property's spin if set. */
    static XQueueConfig hpConfig() {
        XQueueConfig config = XQueueConfig.defaults("hp-resnet18");
        return fromProperty().map(config::withWaitSpin).orElse(config);
    }

    /** What the output says of a spin set by the property. */
    static String note(Duration spin) {
        return "the HP thread polls its XQueue for up to " + spin.toNanos() / 1000 + " us before blocking (" + PROPERTY + ")";
    }
}
