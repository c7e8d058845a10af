package dev.xsched.examples.scenario;

import dev.xsched.core.XQueueConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Two experiment's knobs, not modes: the online model's XQueue configuration in the scheduled
 * modes, set through system properties ({@code XSCHED_JAVA_OPTS}) to find where its time goes
 * beside the batch model (docs/results.md); unset, the queue's defaults.
 * <ul>
 *   <li>{@code -Dxsched.scenario.hpWaitSpinMicros=N}: how long the online model's thread polls its
 *       XQueue's sync point before blocking ({@code XQueueConfig.waitSpin}). The standalone
 *       baseline waits on a plain stream with a synchronize that the CUDA driver spins on; an
 *       XQueue's waiter blocks after {@link XQueueConfig#DEFAULT_WAIT_SPIN}, so a request of
 *       1.7 ms pays a wake-up.</li>
 *   <li>{@code -Dxsched.scenario.hpThreshold=N}: the online model's XQueue threshold (its batch
 *       size at most 8, the default). ResNet-18 is more commands than the default threshold of
 *       16, so a request's later kernels are released as sync points of its first ones are seen
 *       complete; the baseline's stream gets them all at once.</li>
 * </ul>
 *
 * @param waitSpin  the wait spin, if set
 * @param threshold the threshold, if set
 */
record HpQueueSettings(Optional<Duration> waitSpin, OptionalInt threshold) {
    static final String WAIT_SPIN = "xsched.scenario.hpWaitSpinMicros";
    static final String THRESHOLD = "xsched.scenario.hpThreshold";
    /** Ten seconds: longer than any request, so a mistyped unit fails rather than spinning for hours. */
    private static final long MAX_SPIN_MICROS = 10_000_000;
    private static final int MAX_THRESHOLD = 1 << 16;

    /**
     * The settings the system properties ask for.
     *
     * @throws IllegalArgumentException if a property is not a whole number in its range, named in the message
     */
    static HpQueueSettings fromProperties() {
        Optional<Duration> spin = wholeNumber(WAIT_SPIN, 0, MAX_SPIN_MICROS, "microseconds")
                .map(micros -> Duration.ofNanos(micros * 1000));
        Optional<Long> threshold = wholeNumber(THRESHOLD, 1, MAX_THRESHOLD, "commands");
        return new HpQueueSettings(spin, threshold.map(t -> OptionalInt.of(Math.toIntExact(t))).orElse(OptionalInt.empty()));
    }

    /** The online model's XQueue configuration: the defaults, changed where a property is set. */
    XQueueConfig config() {
        XQueueConfig config = XQueueConfig.defaults("hp-resnet18");
        if (threshold.isPresent()) {
            config = config.withThreshold(threshold.getAsInt());
        }
        return waitSpin.map(config::withWaitSpin).orElse(config);
    }

    /** What the output says of the settings made by a property, one line each. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        waitSpin.ifPresent(spin -> notes.add("the HP thread polls its XQueue for up to " + spin.toNanos() / 1000
                + " us before blocking (" + WAIT_SPIN + ")"));
        threshold.ifPresent(t -> notes.add("the HP XQueue's threshold is " + t + " (" + THRESHOLD + ")"));
        return notes;
    }

    private static Optional<Long> wholeNumber(String property, long min, long max, String unit) {
        String value = System.getProperty(property);
        if (value == null) {
            return Optional.empty();
        }
        long n;
        try {
            n = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must be a whole number of " + unit + ", not '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(property + " must be from " + min + " to " + max + " " + unit + ", not " + n);
        }
        return Optional.of(n);
    }
}
