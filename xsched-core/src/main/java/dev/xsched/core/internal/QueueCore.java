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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The engine of one XQueue: a host-side buffer and progressive launching over a hardware stream.
 *
 * <p>Commands are released ("launched") in submission order while the queue is not suspended and
 * fewer than {@code threshold} of them are in flight. After every {@code batchSize} released
 * commands, and whenever a release burst ends, an event is recorded as a sync point; completion
 * of a sync point completes every command before it. Suspending stops releases; commands already
 * in flight still finish, so a suspend takes effect after at most {@code threshold} commands.
 *
 * <p>Releases happen on whichever thread finds work releasable (the submitter, the completion
 * thread, the scheduler thread on resume), one at a time under {@link #launchLock}; no thread
 * exists just to launch, so a submit to a running queue reaches the hardware without a thread
 * hand-off. Completion is observed by one thread per queue blocking on the oldest sync point
 * (events are created with {@link EventFlag#BLOCKING_SYNC}: no core spins), or, in manual mode,
 * by {@link #pollCompletions()}.
 *
 * <p>Cooperative yield ({@link dev.xsched.hip.YieldableKernels}): a suspend while yieldable
 * launches are in flight raises the queue's stop flag, and their blocks stop early. Nothing is
 * released while the flag is up. A non-yieldable command is released only once every yieldable
 * launch before it completed (its completion is final then), so a launch that stops early is never
 * followed on the stream by a command that would consume its partial result; yieldable launches
 * behind it see the flag at their first block and stop too. Once everything released has
 * completed, the launches that stopped go back to the head of the buffer in order (the sequence
 * counters step back to the first of them) and the flag comes down when the queue is resumed.
 *
 * <p>Locking: {@link #lock} guards the counters and the buffer and is never held across a native
 * call; {@link #launchLock} serialises everything issued to the stream.
 */
public final class QueueCore {
    private final long id;
    private final XQueueConfig config;
    private final Stream stream;
    private final SchedulerClock clock;
    private final QueueListener listener;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ReentrantLock launchLock = new ReentrantLock();
    private final AtomicBoolean drainRequested = new AtomicBoolean();

    private final ArrayDeque<Command> buffer = new ArrayDeque<>();
    private final ArrayDeque<SyncPoint> syncPoints = new ArrayDeque<>();
    private final ArrayDeque<Event> eventPool = new ArrayDeque<>();
    private final CopyOnWriteArrayList<QueueCore> waiters = new CopyOnWriteArrayList<>();
    /** Yieldable launches released and not yet known complete, in order. Guarded by {@link #lock}. */
    private final ArrayDeque<Command.YieldableLaunch> yieldableInFlight = new ArrayDeque<>();
    /** Yieldable launches that completed having stopped early, in order, waiting to go back. Guarded by {@link #lock}. */
    private final ArrayList<Command.YieldableLaunch> stoppedEarly = new ArrayList<>();
    /** Created by the first yieldable launch. */
    private volatile YieldSupport yieldSupport;

    private long submittedSeq;
    private volatile long launchedSeq;
    /** A command taken from the buffer and being issued, whose release is not recorded yet (0: none). */
    private long issuing;
    private long completedSeq;
    private long coveredSeq;
    private long dropped;
    private boolean ready;
    private long readySince = -1;
    private volatile boolean suspended;
    private QueueCore blockedOn;
    /** Set once, by the first failure; the queue releases nothing more. Guarded by {@link #lock}; volatile for other queues. */
    private volatile RuntimeException failure;
    /** Whether {@link #failure} was thrown to some caller; close reports it only if not. Guarded by {@link #lock}. */
    private boolean failureReported;
    /** Moves only forward: OPEN, CLOSING, CLOSED. Guarded by {@link #lock}; volatile for other queues. */
    private volatile Lifecycle lifecycle = Lifecycle.OPEN;
    /** The first command discarded unrun (close with DROP, failure); every wait that includes it fails. Guarded by {@link #lock}. */
    private long firstDropped = Long.MAX_VALUE;
    /** The stop flag is wanted up: nothing is released until it comes down. Guarded by {@link #lock}. */
    private boolean stopFlagRaised;
    /** The flag was wanted down again but the write is not issued yet: nothing is released. Guarded by {@link #lock}. */
    private boolean lowering;
    /** The next command issued must wait for the latest flag write first. Guarded by {@link #lock}. */
    private boolean waitForFlag;
    /** Close with DROP: launches that stop early are dropped instead of going back. Guarded by {@link #lock}. */
    private boolean dropStopped;
    private long yielded;
    /** Times releases were stopped, and the clock time spent stopped before the current stop. Guarded by {@link #lock}. */
    private long suspensions;
    private long suspendedNanosBefore;
    /** When the current stop began (meaningful while {@link #suspended}). Guarded by {@link #lock}. */
    private long suspendedAt;
    private Thread completionThread;

    public QueueCore(long id, XQueueConfig config, Stream stream, SchedulerClock clock, QueueListener listener) {
        this.id = id;
        this.config = config;
        this.stream = stream;
        this.clock = clock;
        this.listener = listener;
    }

    /** Where a queue is in its life. */
    private enum Lifecycle {
        /** Accepts commands. */
        OPEN,
        /** {@link #beginClose} ran: rejects commands, still runs (DRAIN) those it accepted. */
        CLOSING,
        /** {@link #shutdown} ran: releases nothing, and every wait ends. */
        CLOSED
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
    public void start(java.util.concurrent.ThreadFactory threadFactory) {
        completionThread = threadFactory.newThread(this::completionLoop);
        completionThread.setDaemon(true);
        completionThread.start();
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
        lock.lock();
        try {
            checkAccepting();
            command = factory.create(++submittedSeq, now);
            buffer.addLast(command);
            becameReady = !ready;
            if (becameReady) {
                ready = true;
                readySince = now;
            }
        } finally {
            lock.unlock();
        }
        if (CommandSubmitted.isOn()) {
            CommandSubmitted.emit(id, command.seq(), command.kind());
        }
        if (becameReady) {
            listener.onReady(this, now);
        }
        drain();
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
        lock.lock();
        try {
            checkAccepting();
            long seq = submittedSeq;
            for (CommandFactory factory : factories) {
                commands.add(factory.create(++seq, now)); // build all first: a factory that throws buffers nothing
            }
            submittedSeq = seq;
            buffer.addAll(commands);
            becameReady = !ready;
            if (becameReady) {
                ready = true;
                readySince = now;
            }
        } finally {
            lock.unlock();
        }
        if (CommandSubmitted.isOn()) {
            for (Command command : commands) {
                CommandSubmitted.emit(id, command.seq(), command.kind());
            }
        }
        if (becameReady) {
            listener.onReady(this, now);
        }
        drain();
        return commands.getLast().seq();
    }

    /** Called under {@link #lock}: rejects a submission to a closing, closed or failed queue. */
    private void checkAccepting() {
        if (lifecycle != Lifecycle.OPEN) {
            throw new IllegalStateException("XQueue " + config.name() + " is closed");
        }
        if (failure != null) {
            failureReported = true;
            throw new IllegalStateException("XQueue " + config.name() + " failed earlier: " + failure.getMessage(), failure);
        }
    }

    /**
     * Submits a launch of a yieldable kernel ({@code args} without the control pointers), with
     * per-block state memory from this queue's pool.
     */
    public long submitYieldable(Kernel kernel, LaunchConfig launchConfig, KernelArgs args) {
        YieldSupport support = yieldSupport();
        DeviceMemory state = support.acquireState(YieldableKernels.stateBytes(launchConfig));
        try {
            return submit((seq, now) -> new Command.YieldableLaunch(seq, now, kernel, launchConfig, args, state, support));
        } catch (RuntimeException e) {
            support.releaseState(state);
            throw e;
        }
    }

    private YieldSupport yieldSupport() {
        YieldSupport support = yieldSupport;
        if (support == null) {
            synchronized (this) {
                support = yieldSupport;
                if (support == null) {
                    support = new YieldSupport(stream.device(), config.threshold());
                    lock.lock();
                    try {
                        waitForFlag = true; // for the flag's first write, of 0
                    } finally {
                        lock.unlock();
                    }
                    yieldSupport = support;
                }
            }
        }
        return support;
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

    private int drainOnce() {
        int released = 0;
        while (true) {
            Command next;
            boolean waitFirst = false;
            lock.lock();
            try {
                // The previous command's release is recorded here, in the same lock section that
                // picks the next one: one lock acquisition per command instead of two.
                recordIssued();
                next = nextReleasable();
                if (next != null && !(next instanceof Command.Callback) && waitForFlag) {
                    waitFirst = true;
                    waitForFlag = false;
                }
                if (next != null) {
                    buffer.pollFirst();
                    if (!(next instanceof Command.Callback)) {
                        issuing = next.seq();
                    }
                    if (next instanceof Command.YieldableLaunch launch) {
                        // Registered before it is issued: a suspend from now on raises the flag for it.
                        yieldableInFlight.addLast(launch);
                    }
                }
            } finally {
                lock.unlock();
            }
            if (next == null) {
                break;
            }
            if (next instanceof Command.Callback callback) {
                runCallback(callback);
                released++;
                continue;
            }
            if (!issue(next, waitFirst)) {
                break;
            }
            released++;
            boolean syncPointDue = next.seq() - coveredSeq >= config.batchSize();
            boolean waitersToWake = next instanceof Command.Record && !waiters.isEmpty();
            if (syncPointDue || waitersToWake) {
                lock.lock();
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
        }
        return released;
    }

    /** Called under {@link #lock}: the command being issued reached the stream. */
    private void recordIssued() {
        if (issuing != 0) {
            launchedSeq = issuing;
            issuing = 0;
            if (syncPoints.isEmpty() && launchedSeq == coveredSeq + 1) {
                // The completion thread sleeps when nothing is in flight: wake it for this burst.
                changed.signalAll();
            }
        }
    }

    /**
     * Records a sync point after the last released command if none covers it yet. A burst that
     * ends inside a batch is made observable this way, lazily: by the completion thread once it
     * has nothing older to wait for (so the commands a submitter adds meanwhile share one event),
     * or by {@link #pollCompletions()} in manual mode.
     */
    void flushSyncPoint() {
        launchLock.lock();
        try {
            if (launchedSeq > coveredSeq && failure == null) {
                recordSyncPoint();
            }
        } finally {
            unlockLaunchLock();
        }
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

    /** The head command if it may be released now, else null. Called under {@link #lock}. */
    private Command nextReleasable() {
        Command head = buffer.peekFirst();
        if (head == null || suspended || failure != null || stopFlagRaised || lowering) {
            return null;
        }
        if (!(head instanceof Command.YieldableLaunch) && !yieldableInFlight.isEmpty() && config.cooperativeYield()) {
            // A yieldable launch in flight may still stop early: nothing that would consume its
            // result goes behind it until it completed. The completion thread releases this one.
            return null;
        }
        if (head instanceof Command.Callback) {
            // A callback runs once everything before it has completed.
            return completedSeq == launchedSeq ? head : null;
        }
        if (launchedSeq - completedSeq >= config.threshold()) {
            return null;
        }
        if (head instanceof Command.Wait wait && wait.producer() != null && wait.producer().queue() != this) {
            QueueCore producer = wait.producer().queue();
            if (producer.launchedSeq < wait.producer().seq() && !producer.isTerminated()) {
                if (blockedOn != producer) {
                    blockedOn = producer;
                    producer.waiters.addIfAbsent(this);
                    listener.onBlocked(this, producer);
                }
                // The producer may have released the record between the check and the
                // registration above; look once more instead of waiting for a wake-up.
                if (producer.launchedSeq >= wait.producer().seq() || producer.isTerminated()) {
                    drainRequested.set(true);
                }
                return null;
            }
            if (blockedOn != null) {
                blockedOn = null;
                listener.onUnblocked(this);
            }
        }
        return head;
    }

    /**
     * Puts {@code command} on the stream, behind a wait for the latest stop-flag write when
     * {@code afterFlagWrite} (the first command after the flag was lowered must not see it up).
     */
    private boolean issue(Command command, boolean afterFlagWrite) {
        try {
            if (afterFlagWrite) {
                stream.waitFor(yieldSupport.flagWritten());
            }
            command.issue(stream);
        } catch (RuntimeException e) {
            lock.lock();
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

    private void runCallback(Command.Callback callback) {
        try {
            callback.action().run();
        } catch (RuntimeException e) {
            System.getLogger(QueueCore.class.getName()).log(System.Logger.Level.WARNING,
                    "host callback of XQueue " + config.name() + " threw", e);
        }
        lock.lock();
        try {
            launchedSeq = callback.seq();
            completedSeq = callback.seq();
            coveredSeq = callback.seq();
            checkIdle();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void recordSyncPoint() {
        Event event;
        lock.lock();
        try {
            event = eventPool.pollFirst();
        } finally {
            lock.unlock();
        }
        try {
            if (event == null) {
                event = stream.device().createEvent(EnumSet.of(EventFlag.BLOCKING_SYNC, EventFlag.DISABLE_TIMING));
            }
            stream.record(event);
        } catch (RuntimeException e) {
            fail(null, e);
            return;
        }
        lock.lock();
        try {
            coveredSeq = launchedSeq;
            syncPoints.addLast(new SyncPoint(event, coveredSeq, clock.nanoTime()));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void fail(Command command, RuntimeException e) {
        RuntimeException wrapped = e instanceof HipException hip
                ? new HipException(hip.code(), hip.errorName(), hip.errorMessage(),
                "XQueue " + config.name() + (command == null ? " sync point" : " " + command.kind()) + ": " + hip.call())
                : e instanceof Command.Foreign.Failed f
                ? new IllegalStateException("XQueue " + config.name() + ": stream work (command " + command.seq()
                + ") threw " + f.getCause(), f.getCause())
                : e;
        if (wrapped instanceof HipException) {
            wrapped.initCause(e);
        }
        lock.lock();
        try {
            if (failure == null) {
                failure = wrapped;
            }
            if (command != null) {
                firstDropped = Math.min(firstDropped, command.seq());
            } else if (!buffer.isEmpty()) {
                firstDropped = Math.min(firstDropped, buffer.peekFirst().seq());
            }
            dropped += buffer.size() + (command == null ? 0 : 1);
            releaseYieldState(buffer);
            buffer.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Called under {@link #lock}: the state memory of yieldable launches that will never be issued goes back. */
    private void releaseYieldState(Iterable<Command> discarded) {
        for (Command command : discarded) {
            if (command instanceof Command.YieldableLaunch launch) {
                yieldSupport.releaseState(launch.state());
            }
        }
    }

    // ---- completion ------------------------------------------------------------------------

    private void completionLoop() {
        while (true) {
            SyncPoint oldest;
            lock.lock();
            try {
                while (syncPoints.isEmpty() && launchedSeq == coveredSeq && lifecycle != Lifecycle.CLOSED) {
                    changed.awaitUninterruptibly();
                }
                oldest = syncPoints.peekFirst();
                if (oldest == null && lifecycle == Lifecycle.CLOSED) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            if (oldest == null) {
                flushSyncPoint();
                continue;
            }
            try {
                oldest.event().synchronize();
            } catch (RuntimeException e) {
                fail(null, e);
                lock.lock();
                try {
                    syncPoints.clear();
                } finally {
                    lock.unlock();
                }
                continue;
            }
            completed(oldest);
            drain();
        }
    }

    /**
     * Manual mode: observes completed sync points without blocking.
     *
     * @return whether anything completed
     */
    public boolean pollCompletions() {
        boolean any = false;
        lock.lock();
        boolean uncovered;
        try {
            uncovered = syncPoints.isEmpty() && launchedSeq > coveredSeq;
        } finally {
            lock.unlock();
        }
        if (uncovered) {
            flushSyncPoint();
            any = true;
        }
        while (true) {
            SyncPoint oldest;
            lock.lock();
            try {
                oldest = syncPoints.peekFirst();
            } finally {
                lock.unlock();
            }
            if (oldest == null) {
                return any;
            }
            try {
                if (!oldest.event().isComplete()) {
                    return any;
                }
            } catch (RuntimeException e) {
                fail(null, e);
                lock.lock();
                try {
                    syncPoints.clear();
                } finally {
                    lock.unlock();
                }
                return true;
            }
            completed(oldest);
            any = true;
        }
    }

    private void completed(SyncPoint point) {
        long now = clock.nanoTime();
        long commands;
        boolean lower;
        lock.lock();
        try {
            syncPoints.pollFirst();
            commands = point.coversSeq() - completedSeq;
            long completeUpTo = classifyYieldable(point.coversSeq());
            completedSeq = Math.max(completedSeq, completeUpTo);
            eventPool.addLast(point.event());
            lower = settleStopFlag();
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

    /**
     * Called under {@link #lock} when a sync point covering {@code coveredUpTo} completed: sorts
     * the yieldable launches it covers into finished ones (their state memory goes back to the
     * pool) and ones that stopped early. From the first that stopped, every later one goes back
     * too (a finished launch relaunched is a no-op: its blocks are all done).
     *
     * @return the sequence number up to which everything is complete for good
     */
    private long classifyYieldable(long coveredUpTo) {
        while (!yieldableInFlight.isEmpty() && yieldableInFlight.peekFirst().seq() <= coveredUpTo) {
            Command.YieldableLaunch launch = yieldableInFlight.pollFirst();
            if (!stoppedEarly.isEmpty() || yieldSupport.yielded(launch.seq())) {
                stoppedEarly.add(launch);
            } else {
                yieldSupport.releaseState(launch.state());
            }
        }
        return stoppedEarly.isEmpty() ? coveredUpTo : Math.min(coveredUpTo, stoppedEarly.getFirst().seq() - 1);
    }

    /**
     * Called under {@link #lock}. Once everything released completed: puts the launches that
     * stopped early back at the head of the buffer (or drops them when closing with DROP), and
     * when the queue is not suspended wants the stop flag down again; nothing is released until
     * {@link #lowerStopFlag()} has written it.
     *
     * @return whether the caller must call {@link #lowerStopFlag()} (outside the lock)
     */
    private boolean settleStopFlag() {
        if (!(stopFlagRaised || !stoppedEarly.isEmpty()) || !yieldableInFlight.isEmpty() || issuing != 0
                || launchedSeq != coveredSeq || !syncPoints.isEmpty()) {
            return false;
        }
        if (!stoppedEarly.isEmpty()) {
            long first = stoppedEarly.getFirst().seq();
            if (dropStopped) {
                dropped += stoppedEarly.size();
                firstDropped = Math.min(firstDropped, first);
                stoppedEarly.forEach(launch -> yieldSupport.releaseState(launch.state()));
                completedSeq = launchedSeq;
            } else {
                yielded += stoppedEarly.size();
                for (int i = stoppedEarly.size() - 1; i >= 0; i--) {
                    buffer.addFirst(stoppedEarly.get(i));
                }
                // They count as not yet released: the threshold, sync points and waiters see them again.
                launchedSeq = first - 1;
                coveredSeq = first - 1;
                completedSeq = first - 1;
            }
            stoppedEarly.clear();
        }
        if (stopFlagRaised && !suspended) {
            stopFlagRaised = false;
            lowering = true;
            return true;
        }
        return false;
    }

    /**
     * Writes the stop flag down (a native call: never under {@link #lock}), then lets releases
     * go on, the first of them behind a wait for that write.
     */
    private void lowerStopFlag() {
        try {
            writeStopFlag();
        } catch (RuntimeException e) {
            fail(null, e);
            return;
        }
        lock.lock();
        try {
            lowering = false;
            waitForFlag = true;
        } finally {
            lock.unlock();
        }
        drainRequested.set(true);
    }

    /** Brings the device's stop flag to what {@link #stopFlagRaised} says now. */
    private void writeStopFlag() {
        yieldSupport.writeFlag(() -> locked(() -> stopFlagRaised));
    }

    /** Called under {@link #lock}: reports idle when nothing is buffered or in flight. */
    private void checkIdle() {
        // A command taken from the buffer but still being issued is work too: not idle.
        if (ready && buffer.isEmpty() && issuing == 0 && completedSeq == launchedSeq && syncPoints.isEmpty()) {
            ready = false;
            readySince = -1;
            long now = clock.nanoTime();
            // The listener only enqueues; it never calls back into this queue.
            listener.onIdle(this, now);
        }
    }

    // ---- control and queries ---------------------------------------------------------------

    public void setSuspended(boolean suspend) {
        boolean raise = false;
        boolean lower = false;
        lock.lock();
        try {
            countSuspendedTime(suspend);
            suspended = suspend;
            if (suspend) {
                if (!stopFlagRaised && !yieldableInFlight.isEmpty() && config.cooperativeYield()) {
                    stopFlagRaised = true;
                    raise = true;
                }
            } else {
                lower = settleStopFlag();
            }
        } finally {
            lock.unlock();
        }
        if (raise) {
            try {
                writeStopFlag(); // the yieldable launches in flight stop at their next check
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

    private void countSuspendedTime(boolean suspend) {
        if (suspend && !suspended) {
            suspensions++;
            suspendedAt = clock.nanoTime();
        } else if (!suspend && suspended) {
            suspendedNanosBefore += clock.nanoTime() - suspendedAt;
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
        lock.lock();
        try {
            throwIfFailed();
            return completedSeq >= seq && seq < firstDropped;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a wait for {@code seq} may end now: everything up to it completed, or it never will
     * (the queue failed, one of those commands was dropped, or the queue is closed). Never throws.
     */
    public boolean isSettled(long seq) {
        lock.lock();
        try {
            return settled(seq);
        } finally {
            lock.unlock();
        }
    }

    /** Called under {@link #lock}. */
    private boolean settled(long seq) {
        return completedSeq >= seq || failure != null || seq >= firstDropped || lifecycle == Lifecycle.CLOSED;
    }

    /** Blocks until {@link #isSettled(long)} holds for {@code seq} (threaded mode); never throws. */
    public void awaitSettled(long seq) {
        lock.lock();
        try {
            while (!settled(seq)) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a wait for {@code seq} settled: returns if everything up to it completed, else throws
     * why not (the queue's failure, a drop, or the close).
     */
    public void checkCompleted(long seq) {
        lock.lock();
        try {
            throwIfFailed();
            if (seq >= firstDropped) {
                throw new IllegalStateException("XQueue " + config.name() + " was closed with DROP: command " + firstDropped
                        + " and every later one were dropped unrun, so command " + seq + " never completes");
            }
            if (completedSeq < seq) {
                throw new IllegalStateException("XQueue " + config.name() + " was closed before command " + seq + " completed");
            }
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until every command up to {@code seq} completed (threaded mode); throws as {@link #checkCompleted}. */
    public void awaitCompleted(long seq) {
        awaitSettled(seq);
        checkCompleted(seq);
    }

    /** Called under {@link #lock}: throws the queue's failure, if any, and marks it reported. */
    private void throwIfFailed() {
        if (failure == null) {
            return;
        }
        failureReported = true;
        if (failure instanceof HipException hip) {
            throw new HipException(hip.code(), hip.errorName(), hip.errorMessage(), hip.call());
        }
        throw new IllegalStateException("XQueue " + config.name() + " failed", failure);
    }

    /** The queue's failure as {@link #checkCompleted} would throw it, if no caller was told of it yet; else null. */
    public RuntimeException takeUnreportedFailure() {
        lock.lock();
        try {
            if (failure == null || failureReported) {
                return null;
            }
            try {
                throwIfFailed();
            } catch (RuntimeException e) {
                return e;
            }
            throw new AssertionError("unreachable: the failure is set");
        } finally {
            lock.unlock();
        }
    }

    /** Closed or failed: it will release nothing more, so nobody may wait for it. */
    boolean isTerminated() {
        return failure != null || lifecycle == Lifecycle.CLOSED;
    }

    public boolean isReady() {
        return locked(() -> ready);
    }

    public long readySince() {
        return locked(() -> readySince);
    }

    public QueueCore blockedOn() {
        return locked(() -> blockedOn);
    }

    public XQueueStats stats() {
        return locked(() -> new XQueueStats(submittedSeq, launchedSeq, completedSeq, dropped, buffer.size(),
                    (int) (launchedSeq - completedSeq), suspended, yielded, suspensions,
                    suspendedNanosBefore + (suspended ? clock.nanoTime() - suspendedAt : 0)));
    }

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
            lock.lock();
            try {
                if (lifecycle == Lifecycle.OPEN) {
                    lifecycle = Lifecycle.CLOSING;
                }
                return submittedSeq;
            } finally {
                lock.unlock();
            }
        }
        launchLock.lock(); // nothing is being issued while the buffer is dropped
        try {
            lock.lock();
            try {
                if (lifecycle == Lifecycle.OPEN) {
                    lifecycle = Lifecycle.CLOSING;
                }
                if (!buffer.isEmpty()) {
                    firstDropped = Math.min(firstDropped, buffer.peekFirst().seq());
                }
                dropped += buffer.size();
                releaseYieldState(buffer);
                buffer.clear();
                dropStopped = true;
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
     * Closes the queue for good: ends every wait, stops the completion thread and frees pooled
     * events. Call after {@link #beginClose} and once its wait settled.
     */
    public void shutdown() {
        List<Event> events;
        lock.lock();
        try {
            lifecycle = Lifecycle.CLOSED;
            changed.signalAll();
            events = new ArrayList<>(eventPool);
            eventPool.clear();
        } finally {
            lock.unlock();
        }
        for (QueueCore waiter : waiters) {
            waiter.drain();
        }
        if (completionThread != null && completionThread != Thread.currentThread()) {
            try {
                completionThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        events.forEach(Event::close);
        YieldSupport support = yieldSupport;
        if (support != null) {
            support.close();
        }
    }

    /** Reads state under {@link #lock}. */
    private <T> T locked(Supplier<T> read) {
        lock.lock();
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
