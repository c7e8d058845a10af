package dev.xsched.testsupport;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Turns a hang inside a test into a failure that carries every thread's stack ({@link ThreadDump}),
 * so a deadlock shows where each thread waits. The bound is a hang detector, not a timing
 * assertion: it is far above what the body needs on the slowest machine. For a whole test class,
 * {@link HangGuard} does the same.
 */
public final class Watchdog {
    /** What a test body may do. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private Watchdog() {
    }

    /**
     * Runs {@code body} on a daemon thread of its own; fails with a thread dump if it has not ended
     * within {@code bound} (the thread is then interrupted and left). What the body throws is thrown
     * here: an unchecked exception or error as it is, a checked one inside an {@link AssertionError}.
     *
     * @param bound how long the body may take before it counts as hung
     * @param body  the test's code
     */
    public static void within(Duration bound, Body body) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread runner = Thread.ofPlatform().name("watched-test-body").daemon().start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        try {
            if (!runner.join(bound)) {
                String dump = ThreadDump.take();
                runner.interrupt();
                throw new AssertionError("hang: the test body did not end within " + bound + "; threads:\n" + dump);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while watching the test body", e);
        }
        Throwable t = thrown.get();
        if (t instanceof Error error) {
            throw error;
        }
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t != null) {
            throw new AssertionError(t);
        }
    }

    /**
     * Waits for {@code latch} where a checked exception cannot go (a fake GPU's callback, a
     * listener). Inside {@link #within} an interrupt comes from the watchdog giving up on a hang;
     * it fails the waiting thread too.
     *
     * @param latch what to wait for
     */
    public static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Spins until {@code condition}, which another thread makes true, holds. No bound of its own:
     * inside {@link #within} a condition that never comes is a hang, and the watchdog reports it
     * with every thread's stack; its interrupt ends the spin with a failure.
     *
     * @param condition what to wait for
     */
    public static void until(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("interrupted while waiting for a condition");
            }
            Thread.onSpinWait();
        }
    }
}
