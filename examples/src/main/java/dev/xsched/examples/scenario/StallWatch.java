package dev.xsched.examples.scenario;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Notices a mode that stopped making progress and says so once, with every thread's stack. A
 * hung mode otherwise runs until something outside kills it and leaves no trace of where it
 * waited: round 14's gated GEMM mode on the H200 completed no HP request and no GEMM for 120 s,
 * and the step's time limit killed it without a stack.
 *
 * <p>Not thread-safe: one thread (the mode's progress reporter) calls {@link #check()}.
 */
final class StallWatch {
    /**
     * No ResNet-18 request, ResNet-50 iteration or GEMM takes a fraction of this: a mode without a
     * completion for this long is hung, not slow.
     */
    static final Duration DEFAULT_LIMIT = Duration.ofSeconds(30);

    private final LongSupplier completions;
    private final LongSupplier nanoClock;
    private final long limitNanos;
    private final Supplier<String> threadDump;
    private long lastCount;
    private long lastChangeAt;
    private boolean reported;

    /**
     * @param completions every completion so far (requests and iterations, warm-up included)
     * @param nanoClock   the time in nanoseconds ({@link System#nanoTime()} in a run)
     * @param limit       how long without a completion counts as a stall
     * @param threadDump  the stacks to report
     */
    StallWatch(LongSupplier completions, LongSupplier nanoClock, Duration limit, Supplier<String> threadDump) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the stall limit must be positive, got " + limit);
        }
        this.completions = completions;
        this.nanoClock = nanoClock;
        this.limitNanos = limit.toNanos();
        this.threadDump = threadDump;
        this.lastCount = completions.getAsLong();
        this.lastChangeAt = nanoClock.getAsLong();
    }

    /** The report, the first time the completions have not moved for the limit; else empty. */
    Optional<String> check() {
        long now = nanoClock.getAsLong();
        long count = completions.getAsLong();
        if (count != lastCount) {
            lastCount = count;
            lastChangeAt = now;
            return Optional.empty();
        }
        if (reported || now - lastChangeAt < limitNanos) {
            return Optional.empty();
        }
        reported = true;
        return Optional.of(String.format(java.util.Locale.ROOT,
                "no HP request or LP iteration completed for %.0f s (%d so far): the mode looks hung; every thread's stack:%n%s",
                (now - lastChangeAt) / 1e9, count, threadDump.get()));
    }
}
