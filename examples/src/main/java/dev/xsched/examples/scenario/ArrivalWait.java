package dev.xsched.examples.scenario;

import java.util.concurrent.locks.LockSupport;

/**
 * How the open-loop client waits for a request's scheduled arrival. Every latency counts from that
 * instant, so the client's own lateness is measured as the system's: a plain park oversleeps by
 * the kernel's timer slack and a wake-up from an idle core (on the H200 host, 2026-12-01: a mean
 * of 0.15-0.20 ms per request, `late_ms` in hp-breakdown.csv, 10% of ResNet-18's standalone
 * latency). So it parks until shortly before the arrival and spins the rest: one core busy for
 * the spin per request ({@value #DEFAULT_SPIN_MICROS} us by default, 8% of one at 20
 * requests/s). The spin is {@value #SPIN_PROPERTY} (microseconds, up to {@value #MAX_SPIN_MICROS}).
 * Why 4 ms: some hosts' parks wake late by milliseconds. On one H200 lease (round 24 a,
 * 2026-12-03) 99-115 of 3,600 requests per run woke more than 0.5 ms late from a park that was
 * to end 0.3 ms (the default until then) before the arrival, up to 3.75 ms late, in
 * {@code standalone-hp} and {@code xsched-hpf} alike, and they made both runs' P99 (3.15 and
 * 3.75 ms against P50s of 1.48 and 1.59); on the next lease, spinning 4 ms, none of 7,200 did
 * and the P99s were 1.53 and 1.62 ms. Rounds 10 and 23 had such hosts too. The deadline tasks of
 * {@code xsched bench policies} wait for their releases the same way, with a spin of their own.
 *
 * @param spinNanos how long before an arrival the client stops parking and spins
 */
public record ArrivalWait(long spinNanos) {
    static final String SPIN_PROPERTY = "xsched.scenario.arrivalSpinMicros";
    static final long DEFAULT_SPIN_MICROS = 4000;
    /** One period of the scenario's 20 requests/s: a longer spin would never park. */
    static final long MAX_SPIN_MICROS = 50_000;

    /** The spin of {@value #SPIN_PROPERTY}, else {@value #DEFAULT_SPIN_MICROS} us. */
    static ArrivalWait fromProperty() {
        long micros = HpQueueSettings.wholeNumber(SPIN_PROPERTY, 0, MAX_SPIN_MICROS, "microseconds").orElse(DEFAULT_SPIN_MICROS);
        return new ArrivalWait(micros * 1000);
    }

    /** The spin in whole microseconds, as the property and results.json give it. */
    long spinMicros() {
        return spinNanos / 1000;
    }

    /** What the output says of a spin that is not the default, one line. */
    String note() {
        return "the client spins for " + spinMicros() + " us before each arrival (" + SPIN_PROPERTY + ")";
    }

    /**
     * Parks until the spin's length before {@code deadline} ({@link System#nanoTime()}); returns at
     * once if that has passed. A return after {@code deadline} is a wake-up that came late. Then
     * {@link #spin(long)} returns at the deadline or just after it, never before.
     */
    public void park(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > spinNanos) {
            LockSupport.parkNanos(remaining - spinNanos);
        }
    }

    /** Spins until {@code deadline}: returns at it or just after it, never before. */
    public void spin(long deadline) {
        while (deadline - System.nanoTime() > 0) {
            Thread.onSpinWait();
        }
    }
}
