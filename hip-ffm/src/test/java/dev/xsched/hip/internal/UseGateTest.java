package dev.xsched.hip.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate that holds a handle's close off while native calls use it. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UseGateTest {
    @Test
    void onlyTheFirstCloseCountsAndNoCallEntersAfterIt() {
        UseGate gate = new UseGate();
        assertThat(gate.tryEnter()).isTrue();
        gate.exit();

        assertThat(gate.close()).isTrue();
        assertThat(gate.isClosed()).isTrue();
        assertThat(gate.close()).isFalse();
        assertThat(gate.tryEnter()).isFalse();
    }

    @Test
    void closeWaitsForTheCallInsideAndReturnsOnceItLeaves() throws InterruptedException {
        UseGate gate = new UseGate();
        assertThat(gate.tryEnter()).isTrue();
        AtomicBoolean closed = new AtomicBoolean();
        Thread closer = Thread.ofPlatform().start(() -> closed.set(gate.close()));

        awaitParked(closer);
        assertThat(gate.isClosed()).isTrue();
        assertThat(gate.tryEnter()).as("no call enters once the close began").isFalse();
        assertThat(closed).isFalse();

        gate.exit();
        closer.join();
        assertThat(closed).isTrue();
    }

    @Test
    void anInterruptDoesNotCutTheWaitShortAndIsKept() throws InterruptedException {
        UseGate gate = new UseGate();
        assertThat(gate.tryEnter()).isTrue();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread closer = Thread.ofPlatform().start(() -> {
            gate.close();
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        awaitParked(closer);

        closer.interrupt();
        awaitParked(closer);
        assertThat(closer.isAlive()).isTrue();

        gate.exit();
        closer.join();
        assertThat(interruptKept).isTrue();
    }

    /**
     * Many threads enter and leave while one closes and then "frees": no thread is ever inside
     * after the free, and every entry refused comes after the close began.
     */
    @Test
    void noCallIsInsideWhenTheCloseReturns() throws InterruptedException {
        for (int round = 0; round < 50; round++) {
            UseGate gate = new UseGate();
            AtomicBoolean freed = new AtomicBoolean();
            AtomicBoolean closeBegan = new AtomicBoolean();
            AtomicReference<String> violation = new AtomicReference<>();
            AtomicInteger entries = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(4);
            List<Thread> users = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                users.add(Thread.ofPlatform().start(() -> {
                    started.countDown();
                    while (true) {
                        if (!gate.tryEnter()) {
                            if (!closeBegan.get()) {
                                violation.compareAndSet(null, "refused before the close began");
                            }
                            return;
                        }
                        entries.incrementAndGet();
                        if (freed.get()) {
                            violation.compareAndSet(null, "inside after the free");
                        }
                        Thread.onSpinWait();
                        if (freed.get()) {
                            violation.compareAndSet(null, "inside after the free");
                        }
                        gate.exit();
                    }
                }));
            }
            started.await();
            while (entries.get() < 1_000) {
                Thread.onSpinWait();
            }
            closeBegan.set(true);
            assertThat(gate.close()).isTrue();
            freed.set(true);
            for (Thread user : users) {
                user.join();
            }
            assertThat(violation.get()).isNull();
            assertThat(gate.tryEnter()).isFalse();
        }
    }

    private static void awaitParked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("the closer parks").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
