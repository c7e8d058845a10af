package dev.xsched.examples.scenario;

import dev.xsched.core.XQueueConfig;
import dev.xsched.examples.config.IdlePollMicros;

import java.time.Duration;
import java.util.Optional;

/**
 * The online model's XQueue in the scheduled modes: its threshold, its sync points, and how long
 * its thread polls before blocking. The threshold and the wait spin are what the H200 measured
 * best (docs/results.md, 2026-12-02: HP P99 2.15 ms at 60 s against 2.34 with the queue's
 * defaults, P99.9 2.28 against 3.12), the batch size what it measured on 2026-12-05 (below);
 * system properties ({@code XSCHED_JAVA_OPTS}) change them for
 * experiments.
 * <ul>
 *   <li>{@code -Dxsched.scenario.hpThreshold=N}, default {@value #DEFAULT_THRESHOLD}: a whole
 *       ResNet-18 request released at once, as the baseline's stream gets it. At the queue's
 *       default of 16 a request's later kernels wait for sync points of its first ones to be
 *       seen complete.</li>
 *   <li>{@code -Dxsched.scenario.hpBatchSize=N}, default {@value #DEFAULT_BATCH_SIZE} at a threshold
 *       of at least that, else XSched's ({@value dev.xsched.core.XQueueConfig#XSCHED_BATCH_SIZE},
 *       at most the threshold): a sync point (an event recorded on the stream) every N released
 *       commands. A request of ResNet-18 at batch 1 (23 launches and two events) carries one at 64,
 *       the sync point its thread waits on; at 8 it carries three more between its kernels, each a
 *       host call and on the H200 a gap in which the next kernel does not start in the shadow of the
 *       one before. Round 32 (docs/results.md, 2026-12-05, a quiet host) measured 64: the request's
 *       GPU span P50 0.466 and P99 0.527 ms, against 0.488 and 0.577 at 8 in round 31's quiet run
 *       (two sittings: round 33 runs both in one). Below a threshold of 64 the queue's default
 *       stays, so that a request longer than its window is not held at a sync point that ends the
 *       window (the GPU would drain before the next release).</li>
 *   <li>{@code -Dxsched.scenario.hpWaitSpinMicros=N}, default {@value #DEFAULT_WAIT_SPIN_MICROS}
 *       (longer than a request on the GPU: 1.7 ms when it was chosen, 0.47 ms with split K): how
 *       long the online model's thread polls its XQueue's sync point before blocking
 *       ({@code XQueueConfig.waitSpin}). The baseline's stream synchronize spins in the CUDA
 *       driver; with the queue's default of 100 us the slowest 1% of requests paid a 0.3-0.4 ms
 *       thread wake-up. A latency-critical thread that waits for one
 *       request at a time spends the poll on nothing else.</li>
 *   <li>{@code -Dxsched.scenario.hpIdlePollMicros=N}, default {@value #DEFAULT_IDLE_POLL_MICROS}
 *       (off): how often the online XQueue's completion thread, idle between requests, looks
 *       for the next one ({@code XQueueConfig.idlePoll}) instead of sleeping until the request's
 *       first call wakes it. On the development machine that wake-up was half of such a call
 *       ({@code PreemptingSubmitBenchmark}), so the demo polled every 1 ms from session 39; on
 *       the H200 (round 40, docs/results.md) the first call took the same time with the poll
 *       as without (0.088 / 0.144 ms P50 / P99 against 0.087 / 0.146), so the default is off
 *       again: a thread that wakes a thousand times a second for nothing measured is a cost.</li>
 *   <li>{@code -Dxsched.scenario.hpLockSpinMicros=N}, default {@value #DEFAULT_LOCK_SPIN_MICROS}
 *       (the queue's own default is 2 us, {@code XQueueConfig.DEFAULT_LOCK_SPIN}): how long a
 *       thread spins for the online XQueue's state lock before it parks
 *       ({@code XQueueConfig.lockSpin}). Round 55 (docs/results.md) recorded the online thread
 *       parking there behind the scheduling thread, which had just woken for the request and was
 *       reading the queue for its decision, then waiting 0.1-0.4 ms for its own wake-up: 9
 *       requests of 1,600 at 2 us. Round 56 (an H100, one lease, 180 s each) compared: 13
 *       requests of 3,600 enqueued in over 0.3 ms at 50 us against 55 at 2 us, P99 0.49 against
 *       0.54 ms, P99.9 0.68 against 0.87 ms, the batch model at 7.556 and 7.561 it/s; under JFR the
 *       online thread parked for its lock on no request's release path. The spin costs CPU only
 *       while another thread holds the lock, which a thread that serves one request at a time
 *       can spend.</li>
 * </ul>
 *
 * @param waitSpin  how long the online thread polls before blocking
 * @param threshold the online XQueue's threshold
 * @param batchSize the online XQueue's released commands per sync point, in [1, threshold]
 * @param idlePoll  how often the online XQueue's idle completion thread looks for work (zero: never)
 * @param lockSpin  how long a thread spins for the online XQueue's state lock before it parks
 */
record HpQueueSettings(Duration waitSpin, int threshold, int batchSize, Duration idlePoll, Duration lockSpin) {
    static final String WAIT_SPIN = "xsched.scenario.hpWaitSpinMicros";
    static final String THRESHOLD = "xsched.scenario.hpThreshold";
    static final String BATCH_SIZE = "xsched.scenario.hpBatchSize";
    static final String IDLE_POLL = "xsched.scenario.hpIdlePollMicros";
    static final String LOCK_SPIN = "xsched.scenario.hpLockSpinMicros";
    /** Off: on the GPU the poll did not shorten the first call it was for (round 40). */
    static final long DEFAULT_IDLE_POLL_MICROS = 0;
    static final int DEFAULT_THRESHOLD = 64;
    /** One sync point per ResNet-18 request (at a threshold of at least this): the one its thread waits on. */
    static final int DEFAULT_BATCH_SIZE = DEFAULT_THRESHOLD;
    static final long DEFAULT_WAIT_SPIN_MICROS = 5000;
    /** Spins through the scheduling thread's read of the queue instead of parking behind it (round 56). */
    static final long DEFAULT_LOCK_SPIN_MICROS = 50;
    /** Ten seconds: longer than any request, so a mistyped unit fails rather than spinning for hours. */
    private static final long MAX_SPIN_MICROS = 10_000_000;
    private static final int MAX_THRESHOLD = 1 << 16;

    /**
     * The settings: the defaults, changed where a system property is set.
     *
     * @throws IllegalArgumentException if a property is not a whole number in its range, named in the message
     */
    static HpQueueSettings fromProperties() {
        long spinMicros = wholeNumber(WAIT_SPIN, 0, MAX_SPIN_MICROS, "microseconds").orElse(DEFAULT_WAIT_SPIN_MICROS);
        long threshold = wholeNumber(THRESHOLD, 1, MAX_THRESHOLD, "commands").orElse((long) DEFAULT_THRESHOLD);
        long batchSize = wholeNumber(BATCH_SIZE, 1, threshold, "commands (at most the threshold, " + THRESHOLD + ")")
                .orElse(threshold >= DEFAULT_BATCH_SIZE ? DEFAULT_BATCH_SIZE : Math.min(threshold, XQueueConfig.XSCHED_BATCH_SIZE));
        long idlePollMicros = wholeNumber(IDLE_POLL, 0, IdlePollMicros.MAX, "microseconds").orElse(DEFAULT_IDLE_POLL_MICROS);
        Duration lockSpin = wholeNumber(LOCK_SPIN, 0, XQueueConfig.MAX_LOCK_SPIN.toNanos() / 1000, "microseconds")
                .map(micros -> Duration.ofNanos(micros * 1000)).orElse(Duration.ofNanos(DEFAULT_LOCK_SPIN_MICROS * 1000));
        return new HpQueueSettings(Duration.ofNanos(spinMicros * 1000), Math.toIntExact(threshold), Math.toIntExact(batchSize),
                IdlePollMicros.toDuration(IDLE_POLL, idlePollMicros), lockSpin);
    }

    /**
     * The online model's XQueue configuration: the queue's defaults with these threshold, batch
     * size, wait spin, idle poll and lock spin, and a fixed window: a request's one sync point is
     * the one its thread waits on, which a window narrowed by a drain budget would split.
     */
    XQueueConfig config() {
        return XQueueConfig.defaults("hp-resnet18").withThreshold(threshold).withBatchSize(batchSize).withWaitSpin(waitSpin)
                .withIdlePoll(idlePoll).withLockSpin(lockSpin).withDrainBudget(Duration.ZERO);
    }

    /** The lock spin in whole microseconds, as the property and results.json give it. */
    long lockSpinMicros() {
        return lockSpin.toNanos() / 1000;
    }

    /** The idle poll in whole microseconds, as the property and results.json give it (0: off). */
    long idlePollMicros() {
        return IdlePollMicros.of(idlePoll);
    }

    /** The wait spin in whole microseconds, as the property and results.json give it. */
    long waitSpinMicros() {
        return waitSpin.toNanos() / 1000;
    }

    /** What the output says of the settings, one line. */
    String note() {
        return "the HP XQueue's threshold is " + threshold + " (" + THRESHOLD + "), a sync point every " + batchSize
                + " commands (" + BATCH_SIZE + "); its thread polls for up to " + waitSpinMicros() + " us before blocking ("
                + WAIT_SPIN + "), its completion thread " + (idlePoll.isZero() ? "sleeps when idle"
                : "looks for work every " + idlePollMicros() + " us when idle") + " (" + IDLE_POLL + "); a thread spins up to "
                + lockSpinMicros() + " us for its lock before parking (" + LOCK_SPIN + ")";
    }

    /** A system property's whole number within [min, max], empty when unset (shared with {@link ArrivalWait}). */
    static Optional<Long> wholeNumber(String property, long min, long max, String unit) {
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
