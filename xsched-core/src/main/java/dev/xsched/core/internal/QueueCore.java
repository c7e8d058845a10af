package dev.xsched.core.internal;

import dev.xsched.core.SchedulerClock;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XQueueStats;
import dev.xsched.core.internal.jfr.CommandLaunched;
import dev.xsched.core.internal.jfr.CommandSubmitted;
import dev.xsched.core.internal.jfr.SyncPointCompleted;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.HipException;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;
import dev.xsched.hip.YieldableKernels;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The engine of one XQueue: a host-side buffer and progressive launching over a hardware stream.
 *
 * <p>Commands are released ("launched") in submission order while the queue is not suspended and
 * fewer than {@code threshold} of them are in flight. After every {@code batchSize} released
 * commands, and whenever a release burst ends, an event is recorded as a sync point
 * ({@link SyncPointTracker}); completion of a sync point completes every command before it
 * ({@link CompletionObserver}). Suspending stops releases; commands already in flight still
 * finish, so a suspend takes effect after at most {@code threshold} commands.
 *
 * <p>Releases happen on whichever thread finds work releasable (the submitter, the completion
 * thread, the scheduler thread on resume), one at a time under {@link #launchLock}; no thread
 * exists just to launch, so a submit to a running queue reaches the hardware without a thread
 * hand-off.
 *
 * <p>Cooperative yield ({@link YieldController}): a suspend while yieldable launches are in
 * flight raises the queue's stop flag, and their blocks stop early. Nothing is released while the
 * flag is up. A command that is not a yieldable launch is released only once every yieldable
 * launch before it completed for good, so a launch that stops early is never followed on the
 * stream by a command that would consume its partial result. Once everything released has
 * completed, the launches that stopped go back to the head of the buffer in order (the sequence
 * counters step back to the first of them) and the flag comes down when the queue is resumed.
 *
 * <p>Its life ({@link QueueLifecycle}): open, then closing from {@link #beginClose} (submissions
 * rejected, accepted commands still run or are dropped), then closed from {@link #shutdown}
 * (nothing released, every wait ends). A failure (a native call, a sync point, foreign work that
 * throws) stops releases for good and is thrown to every waiter.
 *
 * <p>Locking: {@link #lock} guards the state below as marked and is never held across a native
 * call; {@link #launchLock} serialises everything issued to the stream. Order: launchLock, then lock.
 */
public final class QueueCore {
    private final long id;
    private final XQueueConfig config;
    private final Stream stream;
    private final SchedulerClock clock;
    private final QueueListener listener;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled under {@link #lock} whenever a counter, the lifecycle or the failure changes. */
    private final Condition changed = lock.newCondition();
    private final ReentrantLock launchLock = new ReentrantLock();
    /** Set by a drain that found {@link #launchLock} taken: its holder looks once more. */
    private final AtomicBoolean drainRequested = new AtomicBoolean();
    private final SyncPointTracker syncPoints = new SyncPointTracker(); // guarded by lock
    private final YieldController yield; // its state guarded by lock
    private final CompletionObserver observer = new CompletionObserver(this);
    /** Queues blocked on a record of this one; thread-safe. */
    private final CopyOnWriteArrayList<QueueCore> waiters = new CopyOnWriteArrayList<>();

    // Guarded by lock.
    private final ArrayDeque<Command> buffer = new ArrayDeque<>();
    private long submittedSeq;
    /** Last command on the stream; volatile for producer checks by other queues. */
    private volatile long launchedSeq;
    /** A command taken from the buffer and being issued, whose release is not recorded yet (0: none). */
    private long issuing;
    private long completedSeq;
    private long dropped;
    /** Whether the queue holds work (buffered or in flight), and since when (scheduler clock; -1 while not). */
    private boolean ready;
    private long readySince = -1;
    /** Volatile for the unlocked {@link #isSuspended()}. */
    private volatile boolean suspended;
    private QueueCore blockedOn;
    private final QueueLifecycle life;
    /** Threads other than the completion thread that look at a sync point's event themselves; its count guarded by lock. */
    private final DirectWaiters directWaiters = new DirectWaiters(this, lock, changed);
    /** The sync point the completion thread waits for (or has just seen complete); null while it waits for work. */
    private SyncPoint observing;
    /** When the queue went idle, if telling the scheduler was left to the completion thread; -1: nothing left. */
    private long idleNoticeAt = -1;
    /** How often and how long releases were stopped. Guarded by {@link #lock}. */
    private final SuspensionTime suspensionTime;

    public QueueCore(long id, XQueueConfig config, Stream stream, SchedulerClock clock, QueueListener listener) {
        this.id = id;
        this.config = config;
        this.stream = stream;
        this.clock = clock;
        this.listener = listener;
        this.life = new QueueLifecycle(config.name());
        this.suspensionTime = new SuspensionTime(clock);
        this.yield = new YieldController(stream.device(), config.threshold(), config.cooperativeYield(), lock);
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
        long now = clock.nanoTime();
        Command command;
        boolean becameReady;
        lockState();
        try {
            life.checkAccepting();
            command = factory.create(submittedSeq + 1, now);
            submittedSeq = command.seq();
            buffer.addLast(command);
            becameReady = markReady(now);
        } finally {
            lock.unlock();
        }
        if (CommandSubmitted.isOn()) {
            CommandSubmitted.emit(id, command.seq(), command.kind());
        }
        releaseThenNotify(becameReady, now);
        return command.seq();
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
        long now = clock.nanoTime();
        List<Command> commands = new ArrayList<>(factories.size());
        boolean becameReady;
        lockState();
        try {
            life.checkAccepting();
            long seq = submittedSeq;
            for (CommandFactory factory : factories) {
                commands.add(factory.create(++seq, now)); // build all first: a factory that throws buffers nothing
            }
            submittedSeq = seq;
            buffer.addAll(commands);
            becameReady = markReady(now);
        } finally {
            lock.unlock();
        }
        if (CommandSubmitted.isOn()) {
            for (Command command : commands) {
                CommandSubmitted.emit(id, command.seq(), command.kind());
            }
        }
        releaseThenNotify(becameReady, now);
        return commands.getLast().seq();
    }

    /**
     * After a submission: releases what may go, then tells the scheduler if the queue just became
     * ready. In this order, so that a launch to a running queue reaches the stream before the
     * wake-up of the scheduling thread is paid for; the policy reads the queue's state afresh
     * when it decides, so it sees the same state either way.
     */
    private void releaseThenNotify(boolean becameReady, long now) {
        drain();
        if (becameReady) {
            listener.onReady(this, now);
        }
    }

    /** Called under {@link #lock}: the queue holds work from {@code now}; whether it had none before. */
    private boolean markReady(long now) {
        if (ready) {
            return false;
        }
        ready = true;
        readySince = now;
        return true;
    }

    /**
     * Submits a launch of a yieldable kernel ({@code args} without the control pointers), with
     * per-block state memory from this queue's pool.
     */
    public long submitYieldable(Kernel kernel, LaunchConfig launchConfig, KernelArgs args) {
        YieldSupport support = yield.support();
        DeviceMemory state = support.acquireState(YieldableKernels.stateBytes(launchConfig));
        try {
            return submit((seq, now) -> new Command.YieldableLaunch(seq, now, kernel, launchConfig, args, state, support));
        } catch (RuntimeException e) {
            support.releaseState(state);
            throw e;
        }
    }

    // ---- releasing -------------------------------------------------------------------------

    /**
     * Releases as many commands as the queue's state allows. Safe to call from any thread at any
     * time; a call that finds another thread releasing leaves the work to it (the flag makes that
     * thread look once more, so no request is lost).
     *
     * @return the number of commands released by this call
     */
    public int drain() {
        int released = 0;
        drainRequested.set(true);
        while (drainRequested.get() && launchLock.tryLock()) {
            try {
                drainRequested.set(false);
                released += drainOnce();
            } finally {
                launchLock.unlock();
            }
        }
        return released;
    }

    /**
     * Unlocks {@link #launchLock} when held outside {@link #drain()}, then does the drain that a
     * thread asked for meanwhile: it found the lock taken and left the work to the holder.
     */
    private void unlockLaunchLock() {
        launchLock.unlock();
        if (drainRequested.get()) {
            drain();
        }
    }

    /** Called under {@link #launchLock}. */
    private int drainOnce() {
        int released = 0;
        while (true) {
            Command next;
            SyncPoint poll;
            boolean waitForFlag = false;
            long covered;
            lockState();
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
                    buffer.pollFirst();
                }
                if (next instanceof Command.StreamCommand) {
                    waitForFlag = yield.takeFlagWait();
                    issuing = next.seq();
                    yield.releasing(next); // a suspend from now on raises the flag for it
                }
                covered = syncPoints.coveredSeq(); // cannot change while this command is issuing
            } finally {
                lock.unlock();
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
                    if (!issue(command, waitForFlag)) {
                        return released;
                    }
                    afterIssue(command, command.seq() - covered >= config.batchSize());
                }
            }
            released++;
        }
        return released;
    }

    /**
     * Called under {@link #lock} when nothing may be released: if only the threshold holds the
     * buffer back, the oldest sync point, for the releasing thread to look at without blocking
     * (counted as a direct waiter: its event stays alive); else null. A submitter that runs ahead
     * of the device thus opens the window itself as soon as a sync point completed, as a stream's
     * launch would go on, instead of waiting until the completion thread wakes from its wait.
     */
    private SyncPoint pollableAtThreshold() {
        if (buffer.isEmpty() || suspended || life.hasFailed() || life.isClosed()
                || launchedSeq - completedSeq < config.threshold()) {
            return null;
        }
        SyncPoint oldest = syncPoints.oldest();
        if (oldest != null) {
            directWaiters.enter();
        }
        return oldest;
    }

    /** Called under {@link #lock}: the head command if it may be released now, else null. */
    private Command nextReleasable() {
        Command head = buffer.peekFirst();
        if (head == null || suspended || life.hasFailed() || yield.blocksReleases() || yield.holdsBack(head)) {
            return null;
        }
        if (head instanceof Command.HostCallback) {
            // A callback runs once everything before it has completed.
            return completedSeq == launchedSeq ? head : null;
        }
        if (launchedSeq - completedSeq >= config.threshold()) {
            return null;
        }
        if (head instanceof Command.Wait wait && wait.producer() != null && wait.producer().queue() != this) {
            return producerReleased(wait.producer()) ? head : null;
        }
        return head;
    }

    /**
     * Called under {@link #lock}: whether the record a wait follows reached the hardware (or never
     * will). While not, this queue is blocked on the producer, which wakes it when it releases.
     */
    private boolean producerReleased(Command.ProducerRef ref) {
        QueueCore producer = ref.queue();
        if (producer.launchedSeq >= ref.seq() || producer.life.isTerminated()) {
            if (blockedOn != null) {
                blockedOn = null;
                listener.onUnblocked(this);
            }
            return true;
        }
        if (blockedOn != producer) {
            blockedOn = producer;
            producer.waiters.addIfAbsent(this);
            listener.onBlocked(this, producer);
        }
        // The producer may have released the record between the check and the registration
        // above; look once more instead of waiting for a wake-up.
        if (producer.launchedSeq >= ref.seq() || producer.life.isTerminated()) {
            drainRequested.set(true);
        }
        return false;
    }

    /**
     * Puts {@code command} on the stream, behind a wait for the latest stop-flag write when
     * {@code afterFlagWrite} (the first command after the flag was lowered must not see it up).
     *
     * @return false if it failed (the queue failed with it)
     */
    private boolean issue(Command.StreamCommand command, boolean afterFlagWrite) {
        try {
            if (afterFlagWrite) {
                stream.waitFor(yield.flagWritten());
            }
            command.issue(stream);
        } catch (RuntimeException e) {
            lockState();
            try {
                issuing = 0;
            } finally {
                lock.unlock();
            }
            fail(command, e);
            return false;
        }
        if (CommandLaunched.isOn()) {
            CommandLaunched.emit(id, command.seq(), command.kind(), clock.nanoTime() - command.submittedAt());
        }
        return true;
    }

    /** Called under {@link #launchLock} after {@code command} reached the stream. */
    private void afterIssue(Command.StreamCommand command, boolean syncPointDue) {
        boolean waitersToWake = command instanceof Command.Record && !waiters.isEmpty();
        if (!syncPointDue && !waitersToWake) {
            return; // its release is recorded with the next pick
        }
        lockState();
        try {
            recordIssued();
        } finally {
            lock.unlock();
        }
        if (waitersToWake) {
            // Queues blocked on this record may proceed. drain() only tries their lock and
            // never waits, so calling it under our launch lock cannot deadlock.
            for (QueueCore waiter : waiters) {
                waiter.drain();
            }
        }
        if (syncPointDue) {
            recordSyncPoint();
        }
    }

    /** Called under {@link #lock}: the command being issued reached the stream. */
    private void recordIssued() {
        if (issuing != 0) {
            launchedSeq = issuing;
            issuing = 0;
            if (syncPoints.isEmpty() && launchedSeq == syncPoints.coveredSeq() + 1) {
                // The completion thread sleeps when nothing is in flight: wake it for this burst.
                changed.signalAll();
            }
        }
    }

    private void runCallback(Command.HostCallback callback) {
        try {
            callback.action().run();
        } catch (RuntimeException e) {
            System.getLogger(QueueCore.class.getName()).log(System.Logger.Level.WARNING,
                    "host callback of XQueue " + config.name() + " threw", e);
        }
        lockState();
        try {
            // Nothing was in flight (it ran once everything before it completed): it is complete at once.
            launchedSeq = callback.seq();
            completedSeq = callback.seq();
            syncPoints.coverUpTo(callback.seq());
            checkIdle();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- sync points and completion ---------------------------------------------------------

    /** Called under {@link #launchLock}: records a sync point after the last released command. */
    private void recordSyncPoint() {
        Event event = locked(syncPoints::takePooled);
        try {
            if (event == null) {
                event = stream.device().createEvent(EnumSet.of(EventFlag.BLOCKING_SYNC, EventFlag.DISABLE_TIMING));
            }
            stream.record(event);
        } catch (RuntimeException e) {
            fail(null, e);
            return;
        }
        lockState();
        try {
            syncPoints.recorded(event, launchedSeq, clock.nanoTime());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Records a sync point after the last released command if none covers it yet. */
    void flushSyncPoint() {
        SpinThenLock.acquire(launchLock, LAUNCH_LOCK_SPIN_NANOS);
        try {
            if (locked(() -> launchedSeq > syncPoints.coveredSeq() && !life.hasFailed())) {
                recordSyncPoint();
            }
        } finally {
            unlockLaunchLock();
        }
    }

    /** Whether released work has no sync point yet and none older is pending: time to record one. */
    boolean hasUncoveredWork() {
        return locked(() -> syncPoints.isEmpty() && launchedSeq > syncPoints.coveredSeq() && !life.hasFailed());
    }

    SyncPoint oldestSyncPoint() {
        return locked(syncPoints::oldest);
    }

    /** What the completion thread should do next. */
    sealed interface Observable {
        /** Wait for this sync point. */
        record Pending(SyncPoint point) implements Observable {
        }

        /** Released work has no sync point yet: record one. */
        record Uncovered() implements Observable {
        }

        /** The queue closed: stop. */
        record Closed() implements Observable {
        }

        /** The queue went idle at {@code at} while this thread was waiting: tell the scheduler. */
        record IdleNotice(long at) implements Observable {
        }
    }

    /** Blocks until there is something for the completion thread to observe. */
    Observable awaitObservable() {
        lockState();
        try {
            observing = null;
            while (true) {
                if (idleNoticeAt >= 0) {
                    long at = idleNoticeAt;
                    idleNoticeAt = -1;
                    if (!ready) { // else work came meanwhile, and the scheduler was told of it
                        return new Observable.IdleNotice(at);
                    }
                }
                SyncPoint oldest = syncPoints.oldest();
                if (oldest != null) {
                    observing = oldest;
                    return new Observable.Pending(oldest);
                }
                if (life.isClosed()) {
                    return new Observable.Closed();
                }
                if (launchedSeq > syncPoints.coveredSeq() && !life.hasFailed()) {
                    return new Observable.Uncovered();
                }
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Tells the scheduler that the queue went idle at {@code at} (the completion thread, for {@link #checkIdle}). */
    void noticeIdle(long at) {
        listener.onIdle(this, at);
    }

    /** Manual mode: observes completed sync points without blocking; whether anything happened. */
    public boolean pollCompletions() {
        return observer.poll();
    }

    /**
     * The oldest sync point, {@code point}, completed. A no-op if it is no longer the oldest: the
     * completion thread and a waiter may both observe it.
     */
    void completed(SyncPoint point) {
        long now = clock.nanoTime();
        long commands;
        boolean lower;
        lockState();
        try {
            if (syncPoints.oldest() != point) {
                return;
            }
            syncPoints.completeOldest();
            commands = point.coversSeq() - completedSeq;
            completedSeq = Math.max(completedSeq, yield.completedUpTo(point.coversSeq()));
            lower = settleYield();
            checkIdle();
            if (suspended && ready && completedSeq == launchedSeq) {
                listener.onSuspendedTailDrained(this);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (lower) {
            lowerStopFlag();
        }
        if (SyncPointCompleted.isOn()) {
            SyncPointCompleted.emit(id, commands, now - point.recordedAt());
        }
    }

    /** Observing a sync point failed: the queue fails, and nothing pending will be observed. */
    void syncPointFailed(RuntimeException e) {
        fail(null, e);
        lockState();
        try {
            syncPoints.abandon();
        } finally {
            lock.unlock();
        }
    }

    /** Called under {@link #lock}: reports idle when nothing is buffered or in flight. */
    private void checkIdle() {
        // A command taken from the buffer but still being issued is work too: not idle.
        if (ready && buffer.isEmpty() && issuing == 0 && completedSeq == launchedSeq && syncPoints.isEmpty()) {
            ready = false;
            readySince = -1;
            long now = clock.nanoTime();
            if (observing != null && !observer.isObserverThread()) {
                // The completion thread returns from its wait on this same completion anyway: it
                // tells the scheduler, so that a synchronous waiter does not pay for waking the
                // scheduling thread before it returns.
                idleNoticeAt = now;
            } else {
                // The listener only enqueues; it never calls back into this queue.
                listener.onIdle(this, now);
            }
        }
    }

    // ---- cooperative yield -----------------------------------------------------------------

    /**
     * Called under {@link #lock}. Once everything released completed: puts the launches that
     * stopped early back at the head of the buffer (or drops them when closing with DROP), and
     * when the queue is not suspended starts lowering the stop flag.
     *
     * @return whether the caller must call {@link #lowerStopFlag()} (outside the lock)
     */
    private boolean settleYield() {
        if (!yield.wantsSettling() || issuing != 0 || launchedSeq != syncPoints.coveredSeq() || !syncPoints.isEmpty()) {
            return false;
        }
        List<Command.YieldableLaunch> stopped = yield.takeStopped();
        if (!stopped.isEmpty()) {
            long first = stopped.getFirst().seq();
            if (yield.dropsStopped()) {
                dropped += stopped.size();
                life.dropped(first);
                yield.discarded(stopped);
                completedSeq = launchedSeq;
            } else {
                yield.countYielded(stopped.size());
                for (int i = stopped.size() - 1; i >= 0; i--) {
                    buffer.addFirst(stopped.get(i));
                }
                // They count as not yet released: the threshold, sync points and waiters see them again.
                launchedSeq = first - 1;
                syncPoints.coverUpTo(first - 1);
                completedSeq = first - 1;
            }
        }
        return yield.startLowering(suspended);
    }

    /**
     * Writes the stop flag down (a native call: never under {@link #lock}), then lets releases
     * go on, the first of them behind a wait for that write.
     */
    private void lowerStopFlag() {
        try {
            yield.writeFlag();
        } catch (RuntimeException e) {
            fail(null, e);
            return;
        }
        lockState();
        try {
            yield.lowered();
        } finally {
            lock.unlock();
        }
        drainRequested.set(true);
    }

    // ---- failure ---------------------------------------------------------------------------

    /** The queue fails for good with {@code e}: nothing more is released, waiters get it. */
    private void fail(Command command, RuntimeException e) {
        RuntimeException failed = life.describe(command, e);
        lockState();
        try {
            life.fail(failed);
            if (command != null) {
                life.dropped(command.seq());
            } else if (!buffer.isEmpty()) {
                life.dropped(buffer.peekFirst().seq());
            }
            dropped += buffer.size() + (command == null ? 0 : 1);
            yield.discarded(buffer);
            buffer.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The queue's failure as {@link #checkCompleted} would throw it, if no caller was told of it yet; else null. */
    public RuntimeException takeUnreportedFailure() {
        return locked(life::takeUnreportedFailure);
    }

    // ---- control and waits -----------------------------------------------------------------

    public void setSuspended(boolean suspend) {
        boolean raise = false;
        boolean lower = false;
        lockState();
        try {
            suspensionTime.changing(suspended, suspend);
            suspended = suspend;
            if (suspend) {
                raise = yield.raise();
            } else {
                lower = settleYield();
            }
        } finally {
            lock.unlock();
        }
        if (raise) {
            try {
                yield.writeFlag(); // the yieldable launches in flight stop at their next check
            } catch (RuntimeException e) {
                fail(null, e);
            }
        }
        if (lower) {
            lowerStopFlag();
        }
        if (!suspend) {
            drain();
        }
    }

    public boolean isSuspended() {
        return suspended;
    }

    /** The sequence number of the last submitted command. */
    public long submittedSeq() {
        return locked(() -> submittedSeq);
    }

    /**
     * Whether every command up to {@code seq} completed (false if one of them was dropped); throws
     * the queue's failure if there was one.
     */
    public boolean isCompleted(long seq) {
        lockState();
        try {
            life.throwIfFailed();
            return life.completed(seq, completedSeq);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a wait for {@code seq} may end now: everything up to it completed, or it never will
     * (the queue failed, one of those commands was dropped, or the queue is closed). Never throws.
     */
    public boolean isSettled(long seq) {
        return locked(() -> life.settled(seq, completedSeq));
    }

    /**
     * Blocks until {@link #isSettled(long)} holds for {@code seq} (threaded mode); never throws.
     *
     * <p>Once {@code seq} is released, the waiting thread observes the sync point that covers it
     * itself (recording one if none does yet), so the driver wakes it directly: otherwise the
     * completion thread would wake first and then wake it, two wake-ups on the path of every
     * synchronous request. Before that, it observes the oldest sync point, whose completion may
     * release more. The completion thread still observes every sync point for releases, idleness
     * and yield; whichever thread sees one complete first records it and releases what follows.
     * The looking itself (and the count that keeps the events alive) is {@code DirectWaiters}'.
     */
    public void awaitSettled(long seq) {
        while (true) {
            SyncPoint covering = null;
            boolean record = false;
            boolean spin = false;
            lockState();
            try {
                if (life.settled(seq, completedSeq)) {
                    return;
                }
                if (!life.hasFailed() && !life.isClosed()) {
                    covering = syncPoints.covering(seq);
                    spin = covering != null; // the last wake-up before returning: worth a short spin
                    record = covering == null && launchedSeq >= seq && syncPoints.coveredSeq() < seq;
                    if (covering == null && !record) {
                        covering = syncPoints.oldest(); // its completion may release what this waits for
                    }
                }
                if (covering != null) {
                    directWaiters.enter();
                } else if (!record) {
                    changed.awaitUninterruptibly(); // not released yet, or a launch that stopped early
                    continue;
                }
            } finally {
                lock.unlock();
            }
            if (record) {
                flushSyncPoint();
            } else {
                directWaiters.observe(covering, spin);
            }
        }
    }

    /** {@code point}'s event completed: records that, and that of every older one (events complete in stream order). */
    void completedUpTo(SyncPoint point) {
        while (true) {
            SyncPoint oldest = locked(() -> syncPoints.isPending(point) ? syncPoints.oldest() : null);
            if (oldest == null) {
                break; // another thread was first
            }
            completed(oldest);
            if (oldest == point) {
                break;
            }
        }
    }

    /**
     * After a wait for {@code seq} settled: returns if everything up to it completed, else throws
     * why not (the queue's failure, a drop, or the close).
     */
    public void checkCompleted(long seq) {
        lockState();
        try {
            life.checkCompleted(seq, completedSeq);
        } finally {
            lock.unlock();
        }
    }

    public XQueueStats stats() {
        return locked(this::statsLocked);
    }

    private XQueueStats statsLocked() {
        return new XQueueStats(submittedSeq, launchedSeq, completedSeq, dropped, buffer.size(),
                (int) (launchedSeq - completedSeq), suspended, yield.yielded(),
                suspensionTime.suspensions(), suspensionTime.nanos(suspended));
    }

    /** The queue this one's head waits for (a cross-queue event wait), or null. */
    public QueueCore blockedOn() {
        return locked(() -> blockedOn);
    }

    /** What the scheduler reads of a queue for one decision. */
    public record Snapshot(XQueueStats stats, boolean ready, long readySince, QueueCore blockedOn) {
    }

    /**
     * The queue's state for a decision, read in one lock section: the scheduling thread takes the
     * lock once per queue and decision, not once per field, so it holds up a submitter less.
     */
    public Snapshot snapshot() {
        return locked(() -> new Snapshot(statsLocked(), ready, readySince, blockedOn));
    }

    // ---- closing ---------------------------------------------------------------------------

    /**
     * Starts closing: from now on submissions are rejected. With {@code drop} the buffered
     * commands are discarded unrun (and launches that stop early later are dropped instead of
     * going back), and waits that include them fail.
     *
     * @return the sequence number a close waits for: the last accepted command, or with
     *         {@code drop} the last released one
     */
    public long beginClose(boolean drop) {
        if (!drop) {
            lockState();
            try {
                life.beginClosing();
                return submittedSeq;
            } finally {
                lock.unlock();
            }
        }
        launchLock.lock(); // nothing is being issued while the buffer is dropped
        try {
            lockState();
            try {
                life.beginClosing();
                if (!buffer.isEmpty()) {
                    life.dropped(buffer.peekFirst().seq());
                }
                dropped += buffer.size();
                yield.discarded(buffer);
                buffer.clear();
                yield.dropStoppedFromNowOn();
                checkIdle();
                changed.signalAll();
                return launchedSeq;
            } finally {
                lock.unlock();
            }
        } finally {
            unlockLaunchLock();
        }
    }

    /**
     * Closes the queue for good: ends every wait, stops the completion thread and frees the
     * events and the yield memory. Call after {@link #beginClose} and once its wait settled.
     */
    public void shutdown() {
        lockState();
        try {
            life.closed();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (QueueCore waiter : waiters) {
            waiter.drain(); // a wait on a record of this queue will never be satisfied: let it go
        }
        if (!observer.join()) {
            // Still blocked on a sync point of a failed stream: freeing its events would pull
            // them from under it. Leak them rather than crash.
            System.getLogger(QueueCore.class.getName()).log(System.Logger.Level.WARNING,
                    "completion thread of XQueue " + config.name() + " did not stop; its events are not freed");
            return;
        }
        lockState();
        try {
            directWaiters.awaitNone(); // their events complete: the queue settled
        } finally {
            lock.unlock();
        }
        locked(syncPoints::takeAllEvents).forEach(Event::close);
        yield.close();
    }

    /**
     * How long a thread that wants {@link #launchLock} spins before it parks: the holder makes one
     * or two native calls of about a microsecond each, so a park and the wake-up after cost more.
     */
    private static final long LAUNCH_LOCK_SPIN_NANOS = 10_000;

    /** How long a thread that wants {@link #lock} spins before it parks: its sections are a few field updates. */
    static final long STATE_LOCK_SPIN_NANOS = 2_000;

    /** Takes {@link #lock}, spinning briefly first (see {@link SpinThenLock}). */
    private void lockState() {
        SpinThenLock.acquire(lock, STATE_LOCK_SPIN_NANOS);
    }

    /** Reads state under {@link #lock}. */
    private <T> T locked(Supplier<T> read) {
        lockState();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "XQueue[" + id + " " + config.name() + "]";
    }
}
