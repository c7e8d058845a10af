package dev.xsched.core.internal;

import dev.xsched.core.SchedulerClock;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XQueueStats;
import dev.xsched.core.internal.jfr.CommandLaunched;
import dev.xsched.core.internal.jfr.CommandSubmitted;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;
import dev.xsched.hip.YieldableKernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * The engine of one XQueue: a host-side buffer and progressive launching over a hardware stream.
 * This class accepts commands and answers queries; the other jobs are classes of their own, which
 * share the queue's state and lock ({@link QueueState}):
 *
 * <ul>
 *   <li>{@link Releaser}: commands are released ("launched") in submission order while the queue
 *       is not suspended and fewer than {@code threshold} of them are in flight; after every
 *       {@code batchSize} released commands, and whenever a release burst ends, an event is
 *       recorded as a sync point ({@link SyncPointTracker}). Releases happen on whichever thread
 *       finds work releasable, so a submit to a running queue reaches the hardware without a
 *       thread hand-off.
 *   <li>{@link Completions}: completion of a sync point completes every command before it
 *       ({@link CompletionObserver}, {@link DirectWaiters}), and waits end.
 *   <li>{@link Suspension}: suspending stops releases; commands already in flight still finish,
 *       so a suspend takes effect after at most {@code threshold} commands, or at the next check
 *       of the yieldable launches in flight ({@link YieldController}).
 *   <li>{@link CrossQueueWaits}: a wait on another queue's record is released after that record.
 *   <li>{@link Readiness}: whether the queue holds work, and telling the scheduler when not.
 *   <li>{@link QueueClosing}: its life ({@link QueueLifecycle}) goes from open to closing
 *       ({@link #beginClose}: submissions rejected, accepted commands still run or are dropped)
 *       to closed ({@link #shutdown}: nothing released, every wait ends). A failure (a native
 *       call, a sync point, foreign work that throws; {@link QueueState#fail}) stops releases for
 *       good, is thrown to every waiter and lets the queues blocked on this one go on.
 * </ul>
 *
 * <p>Locking: the state lock guards the state (see {@link QueueState}) and is never held across
 * a native call; the {@link LaunchGate} serialises everything issued to the stream. Order:
 * launch gate, then state lock. This class holds no mutable state of its own.
 */
public final class QueueCore {
    /** What a submission to a queue that already held work returns for its ready time: no clock was read. */
    private static final long STILL_READY = Long.MIN_VALUE;

    private final long id;
    private final XQueueConfig config;
    private final Stream stream;
    private final SchedulerClock clock;
    private final QueueListener listener;

    private final QueueState state;
    private final CompletionObserver observer;
    private final DirectWaiters directWaiters;
    private final BlockingWaits blockingWaits;
    private final Readiness readiness;
    private final CrossQueueWaits crossQueueWaits;
    private final Releaser releaser;
    private final Suspension suspension;
    private final Completions completions;
    private final ReleaserDeferral releaserDeferral;
    private final QueueClosing closing;

    public QueueCore(long id, XQueueConfig config, Stream stream, SchedulerClock clock, QueueListener listener) {
        this(id, config, stream, clock, listener, UncoveredLinger.DEFAULT);
    }

    /**
     * As the public constructor, with the completion thread's judgement of when a burst of releases
     * is over chosen (tests): its wait for a releaser's sync point ({@link UncoveredLinger}) and its
     * deferral to a releaser running ahead ({@link ReleaserDeferral}).
     */
    QueueCore(long id, XQueueConfig config, Stream stream, SchedulerClock clock, QueueListener listener,
              UncoveredLinger uncoveredLinger) {
        this.id = id;
        this.config = config;
        this.stream = stream;
        this.clock = clock;
        this.listener = listener;
        // The jobs below keep a reference to this queue for what they tell others about it (the
        // listener, other queues); none calls back into it before this constructor returns.
        this.crossQueueWaits = new CrossQueueWaits(this, listener);
        // Each job that can fail the queue does so through the state, which runs this hook after
        // every failure: one place, so that no way of failing forgets the other queues.
        this.state = new QueueState(config, stream.device(), clock, this::afterFailure);
        // The scheduler's policy, if it is the one that decides, then runs the round the hold waits for.
        state.yield.onRemoteHold(() -> listener.onHeldByRemoteStop(this));
        this.blockingWaits = new BlockingWaits(stream);
        this.observer = new CompletionObserver(this, blockingWaits);
        this.directWaiters = new DirectWaiters(this, state.lock, state.lockSpinNanos, state.changed, config.waitSpin(),
                blockingWaits);
        this.readiness = new Readiness(this, listener, clock, observer::isObserverThread, observer::isStarted);
        this.releaser = new Releaser(this, config, stream, clock, state, readiness, crossQueueWaits, directWaiters);
        this.suspension = new Suspension(state, releaser);
        this.completions = new Completions(this, clock, listener, state, readiness, releaser, suspension, directWaiters,
                uncoveredLinger, IdlePoll.of(config, System.nanoTime()));
        this.releaserDeferral = new ReleaserDeferral(completions::releasedBeyond, uncoveredLinger);
        this.closing = new QueueClosing(config.name(), stream, state, readiness, releaser, suspension, crossQueueWaits,
                observer, directWaiters, blockingWaits);
        if (config.deviceGate()) {
            if (!stream.supportsMemoryWait()) {
                throw new IllegalArgumentException("XQueue " + config.name() + ": the device gate needs a stream that can wait"
                        + " for device memory, and " + stream + " of platform '" + stream.device().platform().name()
                        + "' cannot (Stream.supportsMemoryWait)");
            }
            state.yield.support(); // the flag the gates read, written 0 before the first release
        }
    }

    /** Builds a command once its sequence number and submission time are known. */
    @FunctionalInterface
    public interface CommandFactory {
        Command create(long seq, long submittedAt);
    }

    public long id() {
        return id;
    }

    public XQueueConfig config() {
        return config;
    }

    public Stream stream() {
        return stream;
    }

    /** Whether the completion thread, idle, is polling ({@link IdlePoll}) right now: for tests. */
    boolean completionThreadPolls() {
        return state.locked(() -> state.completionThreadPolls);
    }

    /** Starts the completion thread (threaded mode). */
    public void start(ThreadFactory threadFactory) {
        observer.start(threadFactory);
    }

    // ---- submission ------------------------------------------------------------------------

    /**
     * Appends a command built for the next sequence number, then releases what it can.
     *
     * @return the command's sequence number
     */
    public long submit(CommandFactory factory) {
        long submittedAt = launchLatencyTimed();
        Command command;
        long readyAt;
        state.lock();
        try {
            state.life.checkAccepting();
            command = factory.create(state.submittedSeq + 1, submittedAt);
            state.submittedSeq = command.seq();
            state.buffer.addLast(command);
            readyAt = markReady();
        } finally {
            state.unlock();
        }
        if (CommandSubmitted.isOn()) {
            CommandSubmitted.emit(id, command.seq(), command.kind());
        }
        releaseThenNotify(readyAt);
        return command.seq();
    }

    /**
     * The clock for a command's {@link Command#submittedAt()}, read only if a JFR recording takes
     * launch latencies: a submit to a queue that is already ready reads no clock at all (see
     * {@link Command#UNTIMED}).
     */
    private long launchLatencyTimed() {
        return CommandLaunched.isOn() ? clock.nanoTime() : Command.UNTIMED;
    }

    /**
     * Called under the state lock after a submission: if the queue held no work, it does from now,
     * which is then returned for the scheduler; else {@link #STILL_READY} (nothing to tell).
     */
    private long markReady() {
        if (readiness.isReady()) {
            return STILL_READY;
        }
        long now = clock.nanoTime(); // asked first, so that a submission to a ready queue reads no clock
        readiness.markReady(now);
        return now;
    }

    /**
     * Appends several commands as one contiguous run of sequence numbers (no other submission can
     * interleave), then releases what it can. Used for sliced launches: all slices are buffered
     * before any is released, so a failure cannot leave half of them submitted.
     *
     * @return the sequence number of the last command; {@link #submittedSeq()} if the list is empty
     */
    public long submitAll(List<CommandFactory> factories) {
        if (factories.isEmpty()) {
            return submittedSeq();
        }
        long submittedAt = launchLatencyTimed();
        List<Command> commands = new ArrayList<>(factories.size());
        long readyAt;
        state.lock();
        try {
            state.life.checkAccepting();
            long seq = state.submittedSeq;
            for (CommandFactory factory : factories) {
                commands.add(factory.create(++seq, submittedAt)); // build all first: a factory that throws buffers nothing
            }
            state.submittedSeq = seq;
            state.buffer.addAll(commands);
            readyAt = markReady();
        } finally {
            state.unlock();
        }
        if (CommandSubmitted.isOn()) {
            for (Command command : commands) {
                CommandSubmitted.emit(id, command.seq(), command.kind());
            }
        }
        releaseThenNotify(readyAt);
        return commands.getLast().seq();
    }

    /**
     * After a submission: releases what may go, then tells the scheduler if the queue just became
     * ready (at {@code readyAt}; {@link #STILL_READY} if it was ready before). In this order, so
     * that a launch to a running queue reaches the stream before the wake-up of the scheduling
     * thread is paid for; the policy reads the queue's state afresh when it decides, so it sees the
     * same state either way.
     */
    private void releaseThenNotify(long readyAt) {
        if (readyAt != STILL_READY) {
            runTurningReady();
        }
        releaser.drainAfterSubmit();
        if (readyAt != STILL_READY) {
            listener.onReady(this, readyAt);
        }
    }

    /**
     * Submits a launch of a yieldable kernel ({@code args} without the control pointers), with
     * per-block state memory from this queue's pool.
     */
    public long submitYieldable(Kernel kernel, LaunchConfig launchConfig, KernelArgs args) {
        // Before the memory is made or taken: on a queue that closed, nothing would free it. A close
        // racing past this check finds the yield memory refusing instead (YieldController.close).
        state.lock();
        try {
            state.life.checkAccepting();
        } finally {
            state.unlock();
        }
        YieldSupport support = state.yield.support();
        DeviceMemory memory = support.acquireState(YieldableKernels.stateBytes(launchConfig));
        try {
            return submit((seq, at) -> new Command.YieldableLaunch(seq, at, kernel, launchConfig, args, memory, support));
        } catch (RuntimeException e) {
            support.releaseState(memory);
            throw e;
        }
    }

    // ---- releasing and control -------------------------------------------------------------

    /**
     * Releases as many commands as the queue's state allows; safe from any thread at any time
     * (see {@link Releaser#drain()}).
     *
     * @return the number of commands released by this call
     */
    public int drain() {
        return releaser.drain();
    }

    /** Run by the submitting thread whenever the queue turns ready, before anything is released; may be null. */
    private volatile Runnable turningReady;
    /** Whether a failure of {@link #turningReady} was logged (once per queue). */
    private volatile boolean turningReadyFailureLogged;

    /**
     * Sets what the submitting thread runs each time this queue turns ready, before its first
     * command goes to the stream: for a decision source that stops other processes' queues by
     * storing into their stop words ({@link dev.xsched.core.coordination.StopWordRaiser}) before
     * this queue's first kernel, rather than after the scheduler server's round trip.
     *
     * @param action run on the submitting thread, quick and never blocking; null for none. What
     *               it throws is logged once and otherwise ignored: the server's suspend follows
     *               anyway
     */
    public void onTurningReady(Runnable action) {
        turningReady = action;
    }

    private void runTurningReady() {
        Runnable action = turningReady;
        if (action == null) {
            return;
        }
        try {
            action.run();
        } catch (RuntimeException e) {
            if (!turningReadyFailureLogged) {
                turningReadyFailureLogged = true;
                System.getLogger(QueueCore.class.getName()).log(System.Logger.Level.WARNING,
                        "XQueue " + config.name() + ": its action on turning ready failed (logged once; its"
                                + " scheduler's decisions still apply, a round trip later)", e);
            }
        }
    }

    /** Whether {@link #armRemoteStop} ran. */
    private volatile boolean remoteStopArmed;

    /**
     * Arms the cross-process stop ({@link RemoteStop}): another process's store into {@code word}
     * raises this queue's stop flag on the device, and the queue holds its releases until the next
     * {@link #setSuspended} call.
     *
     * @throws UnsupportedOperationException if the stream cannot wait on registered host memory
     * @throws IllegalStateException         if already armed or the queue is closed
     */
    public void armRemoteStop(dev.xsched.core.coordination.StopWord word) {
        java.util.Objects.requireNonNull(word, "word");
        if (!stream.supportsMemoryWait() || !stream.device().supportsHostRegistration()) {
            throw new UnsupportedOperationException("XQueue " + config.name() + ": a remote stop needs a stream that waits"
                    + " on registered host memory, and platform '" + stream.device().platform().name() + "' has none");
        }
        state.lock();
        try {
            state.life.checkAccepting();
        } finally {
            state.unlock();
        }
        state.yield.armRemote(word);
        remoteStopArmed = true;
    }

    /** Lets the pending cross-process wait go without a raise and arms no new one (see {@link RemoteStop#disarm}). */
    public void disarmRemoteStop() {
        state.yield.disarmRemote();
    }

    /** Arms the cross-process stop again after {@link #disarmRemoteStop()}. */
    public void rearmRemoteStop() {
        state.yield.rearmRemote();
    }

    /** Whether a flag another process raised holds this queue's releases until a decision arrives. */
    public boolean holdsRemoteRaise() {
        // Asked of every running queue in every round: most never arm a remote stop, and skip the lock.
        return remoteStopArmed && state.locked(state.yield::holdsRemoteRaise);
    }

    /**
     * Stops releases ({@code true}) or lets them go on (see {@link Suspension}): a fresh decision,
     * which also ends the hold of a flag another process raised ({@link #armRemoteStop}).
     */
    public void setSuspended(boolean suspend) {
        suspension.setSuspended(suspend, true);
    }

    /**
     * As {@link #setSuspended}, for a decision source's answer that a later round applies again:
     * it may predate a raise by another process, whose hold it therefore leaves in place.
     */
    public void applyCachedDecision(boolean suspend) {
        suspension.setSuspended(suspend, false);
    }

    public boolean isSuspended() {
        return state.suspended;
    }

    /** Manual mode: observes completed sync points without blocking; whether anything happened. */
    public boolean pollCompletions() {
        return observer.poll();
    }

    // ---- waits and queries -----------------------------------------------------------------

    /** The sequence number of the last submitted command. */
    public long submittedSeq() {
        return state.locked(() -> state.submittedSeq);
    }

    /**
     * Whether every command up to {@code seq} completed (false if one of them was dropped); throws
     * the queue's failure if there was one.
     */
    public boolean isCompleted(long seq) {
        state.lock();
        try {
            state.life.throwIfFailed();
            return state.life.completed(seq, state.completedSeq);
        } finally {
            state.unlock();
        }
    }

    /**
     * Whether a wait for {@code seq} may end now: everything up to it completed, or it never will
     * (the queue failed, one of those commands was dropped, or the queue is closed). Never throws.
     */
    public boolean isSettled(long seq) {
        return state.locked(() -> state.life.settled(seq, state.completedSeq));
    }

    /**
     * Blocks until {@link #isSettled(long)} holds for {@code seq} (threaded mode); never throws.
     * The waiting thread observes the sync point that ends its wait itself, so the driver wakes it
     * directly (see {@link Completions#awaitSettled}).
     */
    public void awaitSettled(long seq) {
        completions.awaitSettled(seq);
    }

    /**
     * After a wait for {@code seq} settled: returns if everything up to it completed, else throws
     * why not (the queue's failure, a drop, or the close).
     */
    public void checkCompleted(long seq) {
        state.lock();
        try {
            state.life.checkCompleted(seq, state.completedSeq);
        } finally {
            state.unlock();
        }
    }

    /**
     * After a wait settled: if the queue failed, waits until the work it released before the
     * failure has left its stream, so that a caller told of the failure may free the memory that
     * work uses (its waits settle at the failure, not when that work completes). It drains: the
     * failure opened the device gate for good, and yieldable launches end at their next check.
     * Returns at once if the queue did not fail, or closed (its close waited for the stream).
     * Never throws: an error of the stream is the failure's, which {@link #checkCompleted} throws.
     */
    public void awaitReleasedWorkIfFailed() {
        if (enteredIfFailed()) {
            try {
                closing.awaitReleasedWork();
            } finally {
                directWaiters.leave();
            }
        }
    }

    /**
     * {@link #awaitReleasedWorkIfFailed} without waiting, for a manual scheduler: whether the
     * queue failed and work it released is still in its stream (looked at without blocking).
     */
    public boolean releasedWorkLeftIfFailed() {
        if (!enteredIfFailed()) {
            return false;
        }
        try {
            return closing.releasedWorkLeft();
        } finally {
            directWaiters.leave();
        }
    }

    /**
     * If the queue failed and is not closed: {@link DirectWaiters#enter enters} (a close frees
     * nothing meanwhile; the caller {@link DirectWaiters#leave leaves}).
     */
    private boolean enteredIfFailed() {
        state.lock();
        try {
            if (!state.life.hasFailed() || state.life.isClosed()) {
                return false;
            }
            directWaiters.enter();
            return true;
        } finally {
            state.unlock();
        }
    }

    /** The queue's failure as {@link #checkCompleted} would throw it, if no caller was told of it yet; else null. */
    public RuntimeException takeUnreportedFailure() {
        return state.locked(state.life::takeUnreportedFailure);
    }

    public XQueueStats stats() {
        return state.locked(this::statsLocked);
    }

    private XQueueStats statsLocked() {
        return new XQueueStats(state.submittedSeq, state.launchedSeq, state.completedSeq, state.dropped,
                state.buffer.size(), (int) (state.launchedSeq - state.completedSeq), state.suspended,
                state.yield.yielded(), state.suspensionTime.suspensions(), state.suspensionTime.nanos(state.suspended),
                state.suspensionTime.lastStart(), state.window.threshold(), state.window.batchSize());
    }

    /** The queue this one's head waits for (a cross-queue event wait), or null. */
    public QueueCore blockedOn() {
        return state.locked(crossQueueWaits::blockedOn);
    }

    /** What the scheduler reads of a queue for one decision. */
    public record Snapshot(XQueueStats stats, boolean ready, long readySince, QueueCore blockedOn) {
    }

    /**
     * The queue's state for a decision, read in one lock section: the scheduling thread takes the
     * lock once per queue and decision, not once per field, so it holds up a submitter less.
     */
    public Snapshot snapshot() {
        return state.locked(() -> new Snapshot(statsLocked(), readiness.isReady(), readiness.readySince(),
                crossQueueWaits.blockedOn()));
    }

    // ---- closing ---------------------------------------------------------------------------

    /**
     * Starts closing: from now on submissions are rejected; with {@code drop} the buffered
     * commands are discarded unrun (see {@link QueueClosing#beginClose}).
     *
     * @return the sequence number a close waits for: the last accepted command, or with
     *         {@code drop} the last released one
     */
    public long beginClose(boolean drop) {
        return closing.beginClose(drop);
    }

    /**
     * Closes the queue for good: ends every wait, stops the completion thread and frees the
     * events and the yield memory. Call after {@link #beginClose} and once its wait settled.
     */
    public void shutdown() {
        closing.shutdown();
    }

    // ---- for the threads that observe sync points, and for other queues ---------------------

    /** Whether this queue's command {@code seq} reached the stream, or never will (it failed or closed). Safe without a lock. */
    boolean releasedOrTerminated(long seq) {
        return state.launchedSeq >= seq || state.life.isTerminated();
    }

    CrossQueueWaits crossQueueWaits() {
        return crossQueueWaits;
    }

    Completions.Observable awaitObservable() {
        return completions.awaitObservable();
    }

    boolean hasUncoveredWork() {
        return completions.hasUncoveredWork();
    }

    SyncPoint oldestSyncPoint() {
        return completions.oldestSyncPoint();
    }

    void flushSyncPoint() {
        releaser.flushSyncPoint(true);
    }

    /** See {@link DirectWaiters#deferToPolling}: whether the completion thread deferred to a polling waiter. */
    boolean deferToPollingWaiter(SyncPoint point) {
        return directWaiters.deferToPolling(point, completions::isPending);
    }

    /** Whether {@code point} has not been seen complete yet. */
    boolean isPending(SyncPoint point) {
        return completions.isPending(point);
    }

    /** See {@link ReleaserDeferral}: for the completion thread, about to block on {@code point}. */
    ReleaserDeferral.Outcome deferToReleaser(SyncPoint point) {
        return releaserDeferral.defer(point);
    }

    /** Whether this call recorded {@code point}'s completion (see {@link Completions#completed}). */
    boolean completed(SyncPoint point) {
        return completions.completed(point);
    }

    /** As {@link #completed(SyncPoint)}; {@code watched} false: the time since its record only bounds its drain time. */
    boolean completed(SyncPoint point, boolean watched) {
        return completions.completed(point, watched);
    }

    void completedUpTo(SyncPoint point) {
        completions.completedUpTo(point);
    }

    void syncPointFailed(RuntimeException e) {
        completions.syncPointFailed(e);
    }

    /**
     * Run by {@link QueueState#fail} after each failure, without the state lock: the queue will
     * release nothing more, so it holds no work for a policy to schedule (it goes idle: a policy
     * that suspends others while it has work would otherwise keep them suspended until it closed),
     * its head waits for no other queue (its buffer was dropped), and the queues blocked on a
     * record of it, which now never will be released, go on ({@link #releasedOrTerminated}).
     * Without that wake-up they stayed blocked, with their buffered work, until this queue closed,
     * and forever if it never did.
     */
    private void afterFailure() {
        state.lock();
        try {
            readiness.failed();
            crossQueueWaits.stopWaiting();
        } finally {
            state.unlock();
        }
        crossQueueWaits.wakeWaiters();
        closing.letReleasedWorkRun();
    }

    /** Tells the scheduler that the queue went idle at {@code at} (the completion thread, for {@link Readiness}). */
    void noticeIdle(long at) {
        listener.onIdle(this, at);
    }

    @Override
    public String toString() {
        return "XQueue[" + id + " " + config.name() + "]";
    }
}
