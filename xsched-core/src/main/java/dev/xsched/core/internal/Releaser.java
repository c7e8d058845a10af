package dev.xsched.core.internal;

import dev.xsched.core.SchedulerClock;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.internal.jfr.CommandLaunched;
import dev.xsched.core.internal.jfr.SyncPointCompleted;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.Stream;

import java.util.EnumSet;
import java.util.function.LongSupplier;

/**
 * Releases a queue's buffered commands to its stream, and records the sync points behind them.
 *
 * <p>The head of the buffer is released while the queue is not suspended, has not failed, the
 * yield flag is down and fewer than {@code threshold} commands are in flight; a host callback once
 * everything before it completed; a wait on another queue's record once that record was released
 * ({@link CrossQueueWaits}). After every {@code batchSize} released commands a sync point is
 * recorded; a burst shorter than that gets one from the completion thread or a waiter
 * ({@link #flushSyncPoint()}).
 *
 * <p>Releases happen on whichever thread finds work releasable (the submitter, the completion
 * thread, the scheduler thread on resume), one at a time through the {@link LaunchGate}, which
 * serialises everything issued to the stream. No thread exists just to launch, so a submit to a
 * running queue reaches the hardware without a thread hand-off. Lock order: the launch gate, then
 * the queue's state lock, which is never held across a native call.
 *
 * <p>Its only state of its own is the gate's; what it reads and changes of the queue is guarded by
 * the state lock, which it takes itself.
 */
final class Releaser {
    /** The queue whose commands this releases, for what it tells others (JFR, other queues' waits). */
    private final QueueCore queue;
    private final XQueueConfig config;
    private final Stream stream;
    private final SchedulerClock clock;
    private final QueueState state;
    private final Readiness readiness;
    private final CrossQueueWaits crossQueueWaits;
    private final DirectWaiters directWaiters;

    /** Serialises what is issued to the stream; releases under it with {@link #drainOnce()}. */
    private final LaunchGate gate = new LaunchGate(this::drainOnce);

    Releaser(QueueCore queue, XQueueConfig config, Stream stream, SchedulerClock clock, QueueState state,
             Readiness readiness, CrossQueueWaits crossQueueWaits, DirectWaiters directWaiters) {
        this.queue = queue;
        this.config = config;
        this.stream = stream;
        this.clock = clock;
        this.state = state;
        this.readiness = readiness;
        this.crossQueueWaits = crossQueueWaits;
        this.directWaiters = directWaiters;
    }

    /**
     * Releases as many commands as the queue's state allows. Safe to call from any thread at any
     * time; a call that finds another thread releasing leaves the work to it (see {@link LaunchGate}).
     *
     * @return the number of commands released by this call
     */
    int drain() {
        return gate.drain();
    }

    /**
     * {@link #drain()} for the thread that just submitted: it spins briefly for the gate rather
     * than leave its command to another thread that is releasing ({@link LaunchGate#drainAfterSubmit}).
     *
     * @return the number of commands released by this call
     */
    int drainAfterSubmit() {
        return gate.drainAfterSubmit();
    }

    /**
     * Runs {@code body} while nothing is being issued, then does any drain asked for meanwhile.
     *
     * @return what {@code body} returned
     */
    long whileNothingIssues(LongSupplier body) {
        return gate.whileHeld(body);
    }

    /** Waits at most {@code timeoutNanos} until no release is under way; false if one still is. */
    boolean awaitNothingIssuing(long timeoutNanos) {
        return gate.awaitFree(timeoutNanos);
    }

    /** Called under the launch gate. */
    private int drainOnce() {
        int released = 0;
        while (true) {
            Command next;
            SyncPoint poll;
            boolean waitForFlag = false;
            boolean gated = false;
            long covered;
            int batchSize;
            state.lock();
            try {
                // The previous command's release is recorded here, in the same lock section that
                // picks the next one: one lock acquisition per command instead of two.
                recordIssued();
                next = nextReleasable();
                if (next == null) {
                    poll = pollableAtThreshold();
                    if (poll == null) {
                        break;
                    }
                } else {
                    poll = null;
                    state.buffer.pollFirst();
                }
                if (next instanceof Command.StreamCommand) {
                    waitForFlag = state.yield.takeFlagWait();
                    state.issuing = next.seq();
                    gated = state.yield.releasing(next); // a suspend from now on raises the flag for it
                }
                covered = state.syncPoints.coveredSeq(); // cannot change while this command is issuing
                batchSize = state.window.batchSize();
            } finally {
                state.unlock();
            }
            if (next == null) {
                if (!directWaiters.completedWhenPolled(poll)) {
                    break;
                }
                continue; // the window opened: release on this thread, without waiting for a wake-up
            }
            switch (next) {
                case Command.HostCallback callback -> runCallback(callback);
                case Command.StreamCommand command -> {
                    if (!issue(command, waitForFlag, gated)) {
                        return released;
                    }
                    afterIssue(command, command.seq() - covered >= batchSize);
                }
            }
            released++;
        }
        return released;
    }

    /**
     * Called under the state lock when nothing may be released: if only the threshold holds the
     * buffer back, the oldest sync point, for the releasing thread to look at without blocking
     * (counted as a direct waiter: its event stays alive); else null. A submitter that runs ahead
     * of the device thus opens the window itself as soon as a sync point completed, as a stream's
     * launch would go on, instead of waiting until the completion thread wakes from its wait.
     */
    private SyncPoint pollableAtThreshold() {
        if (state.buffer.isEmpty() || state.suspended || state.life.hasFailed() || state.life.isClosed()
                || state.launchedSeq - state.completedSeq < state.window.threshold()) {
            return null;
        }
        SyncPoint oldest = state.syncPoints.oldest();
        if (oldest != null) {
            directWaiters.enter();
        }
        return oldest;
    }

    /** Called under the state lock: the head command if it may be released now, else null. */
    private Command nextReleasable() {
        Command head = state.buffer.peekFirst();
        // Closed (a close whose wait could not settle leaves its buffer): its stream is closed or
        // about to be, and a wait at its head must not register with a producer again.
        if (head == null || state.suspended || state.life.isTerminated() || state.yield.blocksReleases()
                || state.yield.holdsBack(head, state.completedSeq)) {
            return null;
        }
        if (head instanceof Command.HostCallback) {
            // A callback runs once everything before it has completed.
            return state.completedSeq == state.launchedSeq ? head : null;
        }
        if (state.launchedSeq - state.completedSeq >= state.window.threshold()) {
            return null;
        }
        if (head instanceof Command.Wait wait && wait.producer() != null && wait.producer().queue() != queue) {
            Command.ProducerRef producer = wait.producer();
            if (crossQueueWaits.released(producer)) {
                return head;
            }
            // The producer may have released the record between the check and the registration
            // as blocked on it; look once more instead of waiting for a wake-up.
            if (producer.queue().releasedOrTerminated(producer.seq())) {
                gate.request();
            }
            return null;
        }
        return head;
    }

    /**
     * Puts {@code command} on the stream, behind a wait for the latest stop-flag write when
     * {@code afterFlagWrite} (the first command after the flag was lowered must not see it up),
     * and behind the device gate (a wait the device performs until the flag is 0) when {@code gated}.
     *
     * @return false if it failed (the queue failed with it)
     */
    private boolean issue(Command.StreamCommand command, boolean afterFlagWrite, boolean gated) {
        try {
            if (afterFlagWrite) {
                stream.waitFor(state.yield.flagWritten());
            }
            if (gated) {
                stream.waitUntilEquals(state.yield.support().flag(), 0);
            }
            command.issue(stream);
        } catch (RuntimeException e) {
            state.lock();
            try {
                state.issuing = 0;
            } finally {
                state.unlock();
            }
            state.fail(command, e);
            return false;
        }
        if (CommandLaunched.isOn() && command.submittedAt() != Command.UNTIMED) {
            CommandLaunched.emit(queue.id(), command.seq(), command.kind(), clock.nanoTime() - command.submittedAt());
        }
        return true;
    }

    /** Called under the launch gate after {@code command} reached the stream. */
    private void afterIssue(Command.StreamCommand command, boolean syncPointDue) {
        boolean record = command instanceof Command.Record;
        if (!syncPointDue && !record) {
            return; // its release is recorded with the next pick
        }
        state.lock();
        try {
            recordIssued();
        } finally {
            state.unlock();
        }
        // Only now, with the record counted as released, look for queues blocked on it: a queue
        // registers as blocked first and then looks at that count again, so either it sees the
        // record released or this sees it registered. Looked at before the count, a waiter that
        // registered in between would be neither woken nor see the record, and stay blocked.
        if (record && crossQueueWaits.hasWaiters()) {
            crossQueueWaits.wakeWaiters(); // queues blocked on this record may proceed
        }
        if (syncPointDue) {
            recordSyncPoint(true);
        }
    }

    /** Called under the state lock: the command being issued reached the stream. */
    private void recordIssued() {
        if (state.issuing != 0) {
            state.launchedSeq = state.issuing;
            state.issuing = 0;
            if (state.syncPoints.isEmpty() && state.launchedSeq == state.syncPoints.coveredSeq() + 1
                    && !state.completionThreadPolls) {
                // The completion thread sleeps when nothing is in flight: wake it for this burst,
                // unless it polls (IdlePoll) and finds the burst by itself, off this thread's path.
                readiness.completionThreadWoken();
                state.completionWake.signal();
            }
            if (state.releaseWaiters > 0) {
                // A thread waiting for a command this thread releases records that command's sync
                // point itself once it is out, rather than wait for the completion thread (which
                // gives a releaser time to record one first: UncoveredLinger).
                state.changed.signalAll();
            }
        }
    }

    /**
     * Runs a host callback, already taken from the buffer, and records it complete whatever it
     * throws: skipped, the queue would count it in flight for ever, and every wait behind it
     * (synchronize, close) would hang.
     *
     * <p>{@link Error}s are logged and swallowed too, {@link VirtualMachineError}s included (a
     * callback that overflows its stack or runs out of memory), as {@link Command.Foreign} does for
     * stream work. Rethrown, they would leave on whichever thread released the callback: kill the
     * queue's completion thread (every later wait of the queue hangs) or the scheduling thread
     * (queues stay suspended), or surface in an unrelated caller's submission. The stack has
     * unwound by now, and the JVM's own reaction to running out of memory
     * ({@code -XX:+ExitOnOutOfMemoryError}) acts where it is thrown, not here.
     */
    private void runCallback(Command.HostCallback callback) {
        try {
            callback.action().run();
        } catch (RuntimeException | Error e) {
            System.getLogger(QueueCore.class.getName()).log(
                    e instanceof Error ? System.Logger.Level.ERROR : System.Logger.Level.WARNING,
                    "host callback of XQueue " + config.name() + " threw", e);
        } finally {
            completed(callback); // also if the log itself failed (out of memory)
        }
    }

    private void completed(Command.HostCallback callback) {
        state.lock();
        try {
            // Nothing was in flight (it ran once everything before it completed): it is complete at once.
            state.launchedSeq = callback.seq();
            state.completedSeq = callback.seq();
            state.syncPoints.coverUpTo(callback.seq());
            readiness.checkIdle(state.holdsNothing());
            state.changed.signalAll();
        } finally {
            state.unlock();
        }
    }

    /**
     * Called under the launch gate: records a sync point after the last released command, waking
     * the completion thread to observe it if {@code wakeCompletionThread} (see {@link #flushSyncPoint}).
     */
    private void recordSyncPoint(boolean wakeCompletionThread) {
        Event pooled = state.locked(state.syncPoints::takePooled);
        Event event = pooled;
        try {
            if (event == null) {
                // Plain, not BLOCKING_SYNC: polled on callers' paths (BlockingWaits says why).
                event = stream.device().createEvent(EnumSet.of(EventFlag.DISABLE_TIMING));
            }
            stream.record(event);
        } catch (RuntimeException e) {
            if (pooled != null) {
                // Back to the pool, which the close frees: a waiter that saw its last sync point
                // complete a moment ago may still be polling it, and must not find it closed.
                state.lock();
                try {
                    state.syncPoints.returnUnrecorded(pooled);
                } finally {
                    state.unlock();
                }
            } else if (event != null) {
                closeUnrecorded(event, e); // made here, in no pool nor sync point: nothing else would free it
            }
            state.fail(null, e);
            return;
        }
        state.lock();
        try {
            // Timed for JFR's latency, and for an adaptive window's drain time.
            state.syncPoints.recorded(event, state.launchedSeq,
                    SyncPointCompleted.isOn() || state.window.adaptive() ? clock.nanoTime() : SyncPoint.UNTIMED);
            state.changed.signalAll();
            if (wakeCompletionThread) {
                state.completionWake.signal();
            }
        } finally {
            state.unlock();
        }
    }

    private static void closeUnrecorded(Event event, RuntimeException recordFailure) {
        try {
            event.close();
        } catch (RuntimeException e) {
            recordFailure.addSuppressed(e);
        }
    }

    /**
     * Records a sync point after the last released command if none covers it yet; not on a queue
     * that failed (nothing will observe it) or closed (its events were freed: a close whose wait
     * could not settle leaves uncovered work).
     *
     * @param wakeCompletionThread false for a synchronous waiter that will watch the sync point
     *        itself: the completion thread, lingering in a timed wait over this uncovered work
     *        (the burst's first release woke it), finds the sync point when that wait ends, so a
     *        wake-up now would only cost the waiter's path its signal and have that thread defer
     *        to the waiter ({@link QueueState#completionWake})
     */
    void flushSyncPoint(boolean wakeCompletionThread) {
        gate.whileHeldSpinning(() -> {
            if (state.locked(() -> state.launchedSeq > state.syncPoints.coveredSeq() && !state.life.isTerminated())) {
                recordSyncPoint(wakeCompletionThread);
            }
        });
    }
}
