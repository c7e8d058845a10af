package dev.xsched.examples.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turns a hang into a report. Every worker holds a {@link Probe} and says when it starts and ends
 * an operation; an operation that has not ended within the stall limit is a hang, and the report
 * carries the operation and a dump of every thread with its locks. The limit is wall-clock time on
 * purpose: it bounds a wait that should be milliseconds long, it measures nothing.
 */
public final class Watchdog {
    private final long stallLimitNanos;
    private final List<Probe> probes = new CopyOnWriteArrayList<>();

    public Watchdog(Duration stallLimit) {
        if (stallLimit.isNegative() || stallLimit.isZero()) {
            throw new IllegalArgumentException("stall limit must be > 0, got " + stallLimit);
        }
        this.stallLimitNanos = stallLimit.toNanos();
    }

    /** What a worker is doing now; written by the worker, read by the watchdog. */
    public static final class Probe {
        private final String worker;
        private volatile String operation;
        private volatile long startedAt;

        private Probe(String worker) {
            this.worker = worker;
        }

        public void begin(String operation) {
            this.operation = operation;
            this.startedAt = System.nanoTime();
        }

        public void end() {
            this.operation = null;
        }
    }

    /** A stalled operation: who, what, for how long, and every thread's stack. */
    public record Hang(String worker, String operation, Duration stalledFor, String threadDump) {
        @Override
        public String toString() {
            return "HANG: " + worker + " has been in '" + operation + "' for " + stalledFor.toMillis() + " ms\n" + threadDump;
        }
    }

    public Probe probe(String worker) {
        Probe probe = new Probe(worker);
        probes.add(probe);
        return probe;
    }

    /** The first operation past the stall limit, if any. */
    public Optional<Hang> check() {
        long now = System.nanoTime();
        for (Probe probe : probes) {
            String operation = probe.operation;
            long stalled = now - probe.startedAt;
            if (operation != null && stalled > stallLimitNanos) {
                return Optional.of(new Hang(probe.worker, operation, Duration.ofNanos(stalled), ThreadDump.take()));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code body} on a daemon thread of its own under a watchdog: a stall past {@code limit}
     * comes back as a hang (the thread is left where it hangs), and what {@code body} throws is
     * thrown here.
     */
    public static Optional<Hang> guard(String name, Duration limit, Runnable body) throws InterruptedException {
        Watchdog watchdog = new Watchdog(limit);
        Probe probe = watchdog.probe(name);
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        probe.begin(name);
        Thread thread = Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e);
            } finally {
                probe.end();
            }
        });
        Optional<Hang> hang = watchdog.join(List.of(thread));
        if (hang.isEmpty() && thrown.get() instanceof RuntimeException e) {
            throw e;
        }
        if (hang.isEmpty() && thrown.get() instanceof Error e) {
            throw e;
        }
        return hang;
    }

    /**
     * Waits for {@code threads} to end, checking for a hang every 100 ms. A hung thread is left
     * running (nothing can stop a thread blocked inside a library); it should be a daemon.
     */
    public Optional<Hang> join(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            while (!thread.join(Duration.ofMillis(100))) {
                Optional<Hang> hang = check();
                if (hang.isPresent()) {
                    return hang;
                }
            }
        }
        return check();
    }
}
