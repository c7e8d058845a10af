package dev.xsched.core.internal;

import dev.xsched.core.SchedulerClock;

/**
 * How often a queue's releases were stopped, for how long in all and when the latest stop began, on
 * the scheduler's clock (the {@code suspensions}, {@code suspendedNanos} and {@code lastSuspendedAt}
 * of its stats). Guarded by the queue's state
 * lock; it takes no lock of its own.
 */
final class SuspensionTime {
    private final SchedulerClock clock;
    /** Times releases were stopped, and the clock time spent stopped before the current stop. */
    private long suspensions;
    private long nanosBefore;
    /** When the current stop began (while the queue is suspended), else the latest one; -1 before any. */
    private long since = -1;

    SuspensionTime(SchedulerClock clock) {
        this.clock = clock;
    }

    /** Called under the lock before the queue's suspended state goes from {@code suspended} to {@code suspend}. */
    void changing(boolean suspended, boolean suspend) {
        if (suspend && !suspended) {
            suspensions++;
            since = clock.nanoTime();
        } else if (!suspend && suspended) {
            nanosBefore += clock.nanoTime() - since;
        }
    }

    /** Called under the lock: times releases were stopped. */
    long suspensions() {
        return suspensions;
    }

    /** Called under the lock: when the latest stop began (the current one while suspended), -1 before any. */
    long lastStart() {
        return since;
    }

    /** Called under the lock: the clock time spent stopped, counting the current stop if {@code suspended}. */
    long nanos(boolean suspended) {
        return nanosBefore + (suspended ? clock.nanoTime() - since : 0);
    }
}
