package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.xsched.testsupport.Watchdog.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code XQueueConfig.lockSpin}: a thread that finds the queue's state lock held spins for that
 * long before it parks. Round 55's recording showed the online thread parking behind a holder that
 * had just woken, then waiting 0.1-0.4 ms for its own wake-up; a spin that outlasts the holder's
 * section keeps it off the lock's queue.
 */
class LockSpinTest {
    @Test
    void theDefaultAndItsRangeAndEveryCopyKeepsIt() {
        XQueueConfig config = XQueueConfig.defaults("q");
        assertThat(config.lockSpin()).isEqualTo(XQueueConfig.DEFAULT_LOCK_SPIN).isEqualTo(Duration.ofNanos(2_000));
        XQueueConfig spinning = config.withLockSpin(Duration.ofNanos(50_000));
        assertThat(spinning.withThreshold(4).withBatchSize(2).withWaitSpin(Duration.ZERO).withIdlePoll(Duration.ofMillis(1))
                .withCooperativeYield(true).withDeviceGate(false).lockSpin()).isEqualTo(Duration.ofNanos(50_000));
        assertThat(new XQueueConfig("q", 4, 2, true, false, Duration.ZERO, Duration.ZERO).lockSpin())
                .isEqualTo(XQueueConfig.DEFAULT_LOCK_SPIN);
        assertThat(config.withLockSpin(Duration.ZERO).lockSpin()).isZero();
        assertThat(config.withLockSpin(XQueueConfig.MAX_LOCK_SPIN).lockSpin()).isEqualTo(Duration.ofMillis(10));
        assertThatThrownBy(() -> config.withLockSpin(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lock spin");
        assertThatThrownBy(() -> config.withLockSpin(XQueueConfig.MAX_LOCK_SPIN.plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lock spin");
        assertThatThrownBy(() -> config.withLockSpin(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aThreadSpinningLongerThanTheHoldNeverQueuesForTheLock() {
        // The spin is 10 ms, the hold 0.5 ms once the contender is started: it takes the lock
        // without ever parking (a failure needs the holder kept off its core for over 9 ms).
        QueueState state = new QueueState(XQueueConfig.defaults("q").withLockSpin(XQueueConfig.MAX_LOCK_SPIN),
                new FakeGpu(), () -> 0, () -> { });
        Watchdog.within(Duration.ofSeconds(30), () -> {
            AtomicBoolean queued = new AtomicBoolean();
            CountDownLatch took = new CountDownLatch(1);
            state.lock();
            Thread contender = Thread.ofPlatform().start(() -> {
                state.lock();
                state.unlock();
                took.countDown();
            });
            try {
                long until = System.nanoTime() + 500_000;
                while (System.nanoTime() - until < 0) {
                    queued.compareAndSet(false, state.lock.hasQueuedThreads());
                }
            } finally {
                state.unlock();
            }
            took.await();
            contender.join();
            assertThat(queued).as("the contender joined the lock's queue (parked)").isFalse();
        });
    }

    @Test
    void withNoSpinAContenderQueuesForAHeldLockAtOnce() {
        QueueState state = new QueueState(XQueueConfig.defaults("q").withLockSpin(Duration.ZERO), new FakeGpu(), () -> 0,
                () -> { });
        Watchdog.within(Duration.ofSeconds(30), () -> {
            state.lock();
            Thread contender;
            try {
                contender = Thread.ofPlatform().start(() -> {
                    state.lock();
                    state.unlock();
                });
                until(state.lock::hasQueuedThreads);
            } finally {
                state.unlock();
            }
            contender.join();
        });
    }
}
