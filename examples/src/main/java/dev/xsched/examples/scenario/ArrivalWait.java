package dev.xsched.examples.scenario;

import java.util.concurrent.locks.LockSupport;

/**
 * How the open-loop client waits for a request's scheduled arrival. Every latency counts from that
 * instant, so the client's own lateness is measured as the system's: a plain park oversleeps by
 * the kernel's timer slack and a wake-up from an idle core (on the H200 host, 2026-12-01: a mean
 * of 0.15-0.20 ms per request, `late_ms` in hp-breakdown.csv, 10% of ResNet-18's standalone
 * latency). So it parks until shortly before the arrival and spins the rest: one core busy for
 * {@value #SPIN_NANOS} ns per request, 0.2% of one at 20 requests/s.
 */
final class ArrivalWait {
    /** Spun rather than parked before an arrival: above the oversleep of a park. */
    static final long SPIN_NANOS = 300_000;

    private ArrivalWait() {
    }

    /** Returns at {@code deadline} ({@link System#nanoTime()}) or just after it, never before. */
    static void until(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > SPIN_NANOS) {
            LockSupport.parkNanos(remaining - SPIN_NANOS);
        }
        while (deadline - System.nanoTime() > 0) {
            Thread.onSpinWait();
        }
    }
}
