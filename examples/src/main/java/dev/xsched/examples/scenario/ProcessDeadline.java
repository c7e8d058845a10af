package dev.xsched.examples.scenario;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bounded wait on a child process's output: reading a pipe has no timeout, so a timer kills the
 * child when the deadline passes, which ends the pipe and with it the read. The wait then fails
 * with the caller's message rather than with whatever the ended pipe looked like.
 */
final class ProcessDeadline {
    /** One daemon timer for every wait: it must never keep the JVM alive. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private ProcessDeadline() {
    }

    /** A wait on the child's output. */
    @FunctionalInterface
    interface Wait<T> {
        T run() throws IOException, InterruptedException;
    }

    /**
     * Runs {@code wait}, killing {@code child} if it has not returned within {@code limit}.
     *
     * @param expired the message of the failure when the deadline passed, for example "the HP
     *                process did not print 'ready' within 120 s"
     * @return what {@code wait} returned
     * @throws IOException with {@code expired} (and "; it was killed") when the deadline passed,
     *                     else as {@code wait} throws
     */
    static <T> T within(Process child, Duration limit, String expired, Wait<T> wait) throws IOException, InterruptedException {
        AtomicBoolean killed = new AtomicBoolean();
        ScheduledFuture<?> deadline = TIMER.schedule(() -> {
            killed.set(true);
            // Its own children first, while they are still its: one of them may hold the pipe open too.
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
        }, Math.max(0, limit.toNanos()), TimeUnit.NANOSECONDS);
        try {
            T result = wait.run();
            if (killed.get()) {
                // What arrived as the timer fired is cut short: the child is gone either way.
                throw new IOException(expired + "; it was killed");
            }
            return result;
        } catch (IOException | RuntimeException e) {
            if (killed.get()) {
                // The ended pipe's own failure ("did not start (null)") would only mislead.
                throw new IOException(expired + "; it was killed");
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    /** {@code 120 s}, or {@code 250 ms} below a second, as the messages show a limit. */
    static String describe(Duration limit) {
        return limit.compareTo(Duration.ofSeconds(1)) < 0 ? limit.toMillis() + " ms" : limit.toSeconds() + " s";
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> Thread.ofPlatform().daemon()
                .name("xsched-demo-deadline").unstarted(task));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
