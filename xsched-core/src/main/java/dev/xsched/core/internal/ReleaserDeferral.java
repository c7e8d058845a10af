package dev.xsched.core.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Keeps the completion thread off the driver while a releaser runs ahead of the sync point it would
 * block on. Its blocking wait is driver calls of its own (a watch stream's wait and record, then a
 * blocking synchronize, then a query: {@link BlockingWaits}), made once a sync point, which back to
 * back is every batch: on the GPU they meet the releaser's launches in the driver (whose calls on
 * one context serialise), and the thread's wake-up every batch costs a core beside them.
 *
 * <p>While commands keep being released after the pending sync point and none is held in the
 * buffer, nobody needs the completion seen at once: a releaser that reaches the threshold looks at
 * the oldest sync point itself ({@code Releaser.pollableAtThreshold}), a synchronous waiter polls
 * its own, and the queue is not idle. So the completion thread sleeps, with no waker (a wake-up
 * would be paid on the releaser's path), until the releases have been quiet for a while, the point
 * completed, or a cap passed: the {@link UncoveredLinger}'s quiet and cap, the same judgement of
 * when a burst is over. Then one query tells whether the point completed meanwhile, as it usually
 * has ({@code CompletionObserver}); only if not does the thread block on it. The cap bounds how
 * late the thread notices a completion, or a failure, during a releaser that never pauses.
 *
 * <p>A command held in the buffer (by the threshold, a callback waiting for completions, a flag)
 * stops the releases, so the quiet ends the deferral then too, one or two quiet periods later. The
 * buffer is not looked at during the deferral: a submitter's command passes through it on its way
 * to the stream, and on a loaded host the submitter can lose its core right there, so a command
 * seen in it, even twice, says nothing. Only a command already there when the completion thread
 * comes to block is taken as held: then it blocks at once, as without this class.
 */
final class ReleaserDeferral {
    /**
     * How long the completion thread sleeps between looks at most; Linux's timer slack (50 us by
     * default) comes on top. A suspend, a failure, a close or the point seen complete by another
     * thread ends the deferral at the next look.
     */
    static final long SLICE_NANOS = 20_000;

    /** Where the releases stood at a look: the last command released, and whether any waited in the buffer. */
    record Ahead(long released, boolean buffered) {
    }

    /** What {@link #defer} did. */
    enum Outcome {
        /** Nothing was released after the point, or a command waited in the buffer: block at once. */
        NOT_AHEAD,
        /** Slept while the releaser ran ahead, until its releases went quiet, the cap, or the point completed. */
        DEFERRED,
        /**
         * Released after the point, but nothing since a deferral ended in quiet: the releaser has
         * stopped, and a second quiet period would only delay the completions it left pending.
         */
        QUIET_ALREADY
    }

    private final Function<SyncPoint, Ahead> releasedBeyond;
    private final UncoveredLinger burst;
    private final LongSupplier nanoTime;
    private final LongConsumer sleep;
    /** The releases seen when the last deferral ended; -1 before the first. Only the completion thread uses it. */
    private long releasedWhenLastEnded = -1;

    /**
     * @param releasedBeyond where the releases stand beyond the point, null if none were made after it
     *                       or the queue stopped releasing ({@link Completions#releasedBeyond})
     * @param burst          when a burst of releases counts as over: quiet for its quiet, or its cap
     */
    ReleaserDeferral(Function<SyncPoint, Ahead> releasedBeyond, UncoveredLinger burst) {
        this(releasedBeyond, burst, System::nanoTime, LockSupport::parkNanos);
    }

    /** With the clock and the sleep chosen (tests on virtual time). */
    ReleaserDeferral(Function<SyncPoint, Ahead> releasedBeyond, UncoveredLinger burst, LongSupplier nanoTime,
                     LongConsumer sleep) {
        this.releasedBeyond = releasedBeyond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.sleep = sleep;
    }

    /**
     * For the completion thread, about to block on {@code point}: sleeps while a releaser runs
     * ahead of it (see the class).
     *
     * @return what it did; unless {@link Outcome#NOT_AHEAD}, the point may well have completed by
     *         now, which a query tells for less than a blocking wait's calls
     */
    Outcome defer(SyncPoint point) {
        Ahead look = releasedBeyond.apply(point);
        if (look == null || look.buffered()) {
            return Outcome.NOT_AHEAD;
        }
        if (look.released() == releasedWhenLastEnded) {
            return Outcome.QUIET_ALREADY;
        }
        UncoveredLinger.Wait wait = burst.begin(nanoTime.getAsLong(), look.released());
        boolean interrupted = false;
        while (true) {
            long left = wait.remaining(nanoTime.getAsLong(), look.released());
            if (left <= 0) {
                break; // quiet for long enough, or the cap: the burst counts as over
            }
            sleepWhole(Math.min(left, SLICE_NANOS));
            // An interrupt would end every later sleep at once: this thread would spin beside the
            // releaser. Cleared here, set again on the way out, as the queue's timed waits do.
            interrupted |= Thread.interrupted();
            look = releasedBeyond.apply(point);
            if (look == null) {
                break; // the point completed, or the queue stopped releasing: look again
            }
        }
        if (look != null) {
            releasedWhenLastEnded = look.released();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return Outcome.DEFERRED;
    }

    /**
     * Sleeps the whole of {@code nanos}: a park can return at once (a permit left by the queue's
     * lock or condition), and a look a microsecond after the last would count as a quiet slice.
     */
    private void sleepWhole(long nanos) {
        long wakeAt = nanoTime.getAsLong() + nanos;
        for (long left = nanos; left > 0; left = wakeAt - nanoTime.getAsLong()) {
            sleep.accept(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return; // the caller clears and keeps it
            }
        }
    }
}
