package dev.xsched.core.fake;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns a hang into a test failure that carries a dump of every thread, so a deadlock shows where
 * each thread waits. The bound is a hang detector, not a timing assertion: it is far above what
 * the body needs on the slowest machine.
 */
public final class Watchdog {
    /** What a test body may do. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private Watchdog() {
    }

    /** Runs {@code body} on a new thread; fails with a thread dump if it has not ended within {@code bound}. */
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
                String dump = threadDump();
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
     */
    public static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String threadDump() {
        StringBuilder out = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockName() != null) {
                out.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            out.append('\n');
            for (StackTraceElement frame : info.getStackTrace()) {
                out.append("    at ").append(frame).append('\n');
            }
        }
        return out.toString();
    }
}
