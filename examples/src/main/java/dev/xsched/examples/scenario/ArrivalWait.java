package dev.xsched.examples.scenario;

import java.util.concurrent.locks.LockSupport;

/**
 * How the open-loop client waits for a request's scheduled arrival. Every latency counts from that
 * instant, so the client's own lateness is measured as the system's: a plain park oversleeps by
 * the kernel's timer slack and a wake-up from an idle core (on the H200 host, 2026-12-01: a mean
 * of 0.15-0.20 ms per request, `late_ms` in hp-breakdown.csv, 10% of ResNet-18's standalone
 * latency). So it parks until shortly before the arrival and spins the rest: one core busy for
 * the spin per request ({@value #DEFAULT_SPIN_MICROS} us by default, 8% of one at 20
 * requests/s; {@value #FEW_CORES_SPIN_MICROS} us on a host of fewer than
 * {@value #LONG_SPIN_MIN_PROCESSORS} processors, below). The spin is {@value #SPIN_PROPERTY}
 * (microseconds, up to {@value #MAX_SPIN_MICROS}).
 * Why 4 ms: some hosts' parks wake late by milliseconds. On one H200 lease (round 24 a,
 * 2026-12-03) 99-115 of 3,600 requests per run woke more than 0.5 ms late from a park that was
 * to end 0.3 ms (the default until then) before the arrival, up to 3.75 ms late, in
 * {@code standalone-hp} and {@code xsched-hpf} alike, and they made both runs' P99 (3.15 and
 * 3.75 ms against P50s of 1.48 and 1.59); on the next lease, spinning 4 ms, none of 7,200 did
 * and the P99s were 1.53 and 1.62 ms. Rounds 10 and 23 had such hosts too. The deadline tasks of
 * {@code xsched bench policies} wait for their releases the same way, with a spin of their own.
 * Why not 4 ms everywhere: on a host of two processors (the simulated demo on the development
 * machine, 2026-12-03, four pairs of runs, the spins alternating) the spinning client took a core
 * from the threads it waits for, the simulated GPU's and the scheduler's: {@code xsched-hpf}'s P99
 * was 10.8-14.3 ms spinning 4 ms against 6.4-9.3 ms spinning 0.3 ms in every pair; in the last
 * three, 28-36 of its 600 requests were held up over 1 ms on the run queue against 6-19. The
 * model alone, with fewer threads, did better spinning 4 ms (P99 3.5-4.2 against 5.6-6.8 ms);
 * every mode must wait the same way to be compared, and the scheduled modes are the ones the demo
 * is about (docs/results.md, the simulated demo).
 *
 * @param spinNanos how long before an arrival the client stops parking and spins
 */
public record ArrivalWait(long spinNanos) {
    static final String SPIN_PROPERTY = "xsched.scenario.arrivalSpinMicros";
    static final long DEFAULT_SPIN_MICROS = 4000;
    /** The default spin on a host of fewer than {@value #LONG_SPIN_MIN_PROCESSORS} processors. */
    static final long FEW_CORES_SPIN_MICROS = 300;
    /**
     * Processors a host needs for the long spin: measured harmful on two (the development machine)
     * and helpful on sixteen (the H200 host); four is the smallest host where the spinning client,
     * the simulated GPU's thread and the scheduler's each have a core.
     */
    static final int LONG_SPIN_MIN_PROCESSORS = 4;
    /** One period of the scenario's 20 requests/s: a longer spin would never park. */
    static final long MAX_SPIN_MICROS = 50_000;

    /** The spin of {@value #SPIN_PROPERTY}, else {@link #defaultSpinMicros(int)} for this JVM's processors. */
    static ArrivalWait fromProperty() {
        return fromProperty(Runtime.getRuntime().availableProcessors());
    }

    /** The spin of {@value #SPIN_PROPERTY}, else {@link #defaultSpinMicros(int)} for {@code processors}. */
    static ArrivalWait fromProperty(int processors) {
        long micros = HpQueueSettings.wholeNumber(SPIN_PROPERTY, 0, MAX_SPIN_MICROS, "microseconds")
                .orElse(defaultSpinMicros(processors));
        return new ArrivalWait(micros * 1000);
    }

    /**
     * The spin when {@value #SPIN_PROPERTY} is unset: {@value #DEFAULT_SPIN_MICROS} us on a host of at
     * least {@value #LONG_SPIN_MIN_PROCESSORS} processors, else {@value #FEW_CORES_SPIN_MICROS} us.
     */
    static long defaultSpinMicros(int processors) {
        return processors >= LONG_SPIN_MIN_PROCESSORS ? DEFAULT_SPIN_MICROS : FEW_CORES_SPIN_MICROS;
    }

    /** The spin in whole microseconds, as the property and results.json give it. */
    long spinMicros() {
        return spinNanos / 1000;
    }

    /** What the output says of a spin other than {@value #DEFAULT_SPIN_MICROS} us, one line. */
    String note() {
        return "the client spins for " + spinMicros() + " us before each arrival (" + SPIN_PROPERTY + "; unset: "
                + DEFAULT_SPIN_MICROS + " us with at least " + LONG_SPIN_MIN_PROCESSORS + " processors, "
                + FEW_CORES_SPIN_MICROS + " us with fewer)";
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
