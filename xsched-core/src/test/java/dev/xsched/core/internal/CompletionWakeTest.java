package dev.xsched.core.internal;

import dev.xsched.core.fake.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who wakes the completion thread: a thread parked without a timeout by any wake, one in a timed
 * wait only by an urgent one. Each case waits for the waiting thread to be parked on the
 * condition (its thread state) before waking it; the timed waits are 30 s long, far beyond the
 * bounds the cases allow for a woken thread to end.
 */
class CompletionWakeTest {
    private static final Duration HANG = Duration.ofSeconds(60);
    private static final long LONG_TIMED_WAIT = TimeUnit.SECONDS.toNanos(30);

    private final ReentrantLock lock = new ReentrantLock();
    private final CompletionWake wake = new CompletionWake(lock);

    @Test
    void aParkedThreadIsWokenByWorkThatMayWait() throws Exception {
        Watchdog.within(HANG, () -> {
            Thread waiter = startWaiting(wake::await);
            awaitParked(waiter, Thread.State.WAITING);
            locked(() -> assertThat(wake.looksAgainUnwoken()).as("parked: it needs a wake").isFalse());

            locked(wake::wakeIfParked);

            waiter.join();
        });
    }

    @Test
    void aThreadInATimedWaitIsNotWokenByWorkThatMayWaitButIsByUrgentWork() throws Exception {
        Watchdog.within(HANG, () -> {
            Thread waiter = startWaiting(() -> wake.awaitNanos(LONG_TIMED_WAIT));
            awaitParked(waiter, Thread.State.TIMED_WAITING);
            locked(() -> assertThat(wake.looksAgainUnwoken()).isTrue());

            locked(wake::wakeIfParked);
            waiter.join(200);
            assertThat(waiter.isAlive()).as("left to its timed wait").isTrue();

            locked(wake::wake);
            waiter.join(10_000);
            assertThat(waiter.isAlive()).as("woken, long before its 30 s ran out").isFalse();
        });
    }

    @Test
    void aTimedWaitEndsUnwokenAndLeavesTheThreadNeedingNoWake() throws Exception {
        Watchdog.within(HANG, () -> {
            Thread waiter = startWaiting(() -> wake.awaitNanos(TimeUnit.MILLISECONDS.toNanos(5)));
            waiter.join();
            locked(() -> assertThat(wake.looksAgainUnwoken()).as("not waiting any more").isFalse());
            locked(wake::wake); // nothing waits: a no-op, not a lost or stored signal
        });
    }

    private Thread startWaiting(Runnable body) {
        Thread t = new Thread(() -> {
            lock.lock();
            try {
                body.run();
            } finally {
                lock.unlock();
            }
        }, "completion-wake-test");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Until {@code waiter} is on the condition (it holds the lock until then, and parks in {@code state}). */
    private void awaitParked(Thread waiter, Thread.State state) throws InterruptedException {
        while (waiter.getState() != state) {
            Thread.sleep(1);
        }
    }

    private void locked(Runnable body) {
        lock.lock();
        try {
            body.run();
        } finally {
            lock.unlock();
        }
    }
}
