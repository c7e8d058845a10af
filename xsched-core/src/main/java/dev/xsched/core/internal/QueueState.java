package dev.xsched.core.internal;

import dev.xsched.core.SchedulerClock;
import dev.xsched.core.XQueueConfig;
import dev.xsched.hip.Device;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The state of one queue that its jobs share, and the lock that guards it: the buffer, the
 * sequence counters, and the helpers that keep the rest (lifecycle, sync points, yield, suspended
 * time). The jobs ({@link QueueCore}'s submissions and queries, {@link Releaser},
 * {@link Completions}, {@link Suspension}, {@link QueueClosing}) are one engine split by concern,
 * so they read and write these fields directly rather than through accessors.
 *
 * <p>Locking: {@link #lock} guards every field that is neither final nor volatile, the contents
 * of {@link #buffer}, and the state of the helpers held here (none of which takes a lock of its
 * own). The volatile fields are written under it too; they are volatile for readers that do not
 * take it. It is never held across a native call: the jobs take a value out, unlock, call, and
 * lock again to record the outcome.
 */
final class QueueState {
    /**
     * How long a thread that wants {@link #lock} spins before it parks ({@code XQueueConfig.lockSpin}):
     * its sections are a few field updates, but a holder that has just woken can outlast a short spin.
     */
    final long lockSpinNanos;

    final ReentrantLock lock = new ReentrantLock();
    /**
     * Signalled under {@link #lock} whenever something that a thread other than the completion
     * thread waits for on it changes ({@code Completions.awaitSettled}, {@code DirectWaiters.awaitNone}):
     * commands completed or dropped, a sync point recorded, the queue failed or closed, a thread
     * stopped looking at an event; a release only when a thread in {@code awaitSettled} waits for
     * one ({@link #releaseWaiters}). A submission and the start of a close signal nothing: no one
     * waits for them.
     */
    final Condition changed = lock.newCondition();
    /**
     * The completion thread's own condition ({@code Completions.awaitObservable}), signalled under
     * {@link #lock} only for what that thread must not sleep through: the release that starts a
     * burst while it sleeps without a timeout (not while it polls: {@link #completionThreadPolls}),
     * a sync point recorded by a releaser, a failure, a close. A synchronous waiter's own sync
     * point, the completion it sees and its leaving do not signal it: they would wake it on the
     * waiter's path (its record woke it into deferring to the waiter, round 61), while it is then
     * in a timed wait anyway, lingering over the burst's uncovered work, and finds the sync point,
     * or its completion, when that wait ends.
     */
    final Condition completionWake = lock.newCondition();

    /** Open, closing or closed; the failure; the first command dropped. */
    final QueueLifecycle life;
    final SyncPointTracker syncPoints = new SyncPointTracker();
    /** The threshold and batch size now: fixed, or moved by each sync point's drain time. */
    final ReleaseWindow window;
    /** The cooperative-yield state; its memory is made and freed outside the lock (see the class). */
    final YieldController yield;
    /** How often and how long releases were stopped. */
    final SuspensionTime suspensionTime;

    /** Accepted commands not yet released, in submission order. */
    final ArrayDeque<Command> buffer = new ArrayDeque<>();
    /** The last command accepted. */
    long submittedSeq;
    /** The last command on the stream; volatile for producer checks by other queues. */
    volatile long launchedSeq;
    /** A command taken from the buffer and being issued, whose release is not recorded yet (0: none). */
    long issuing;
    /** Every command up to this one completed. */
    long completedSeq;
    /** Commands discarded unrun (a failure, a close with DROP). */
    long dropped;
    /** Whether releases are stopped; volatile for the unlocked {@link QueueCore#isSuspended()}. */
    volatile boolean suspended;
    /**
     * Threads in {@code Completions.awaitSettled} blocked until a command they wait for is released
     * by another thread: each release wakes them ({@code Releaser}), so that they record their
     * sync point themselves rather than wait for the completion thread's.
     */
    int releaseWaiters;
    /**
     * Whether the completion thread, idle, waits only until its next look ({@link IdlePoll}): then
     * the release that starts a burst does not wake it ({@code Releaser}), it finds the burst itself.
     */
    boolean completionThreadPolls;

    /**
     * What the queue does once it failed beyond this state (it lets other queues go on: see
     * {@code QueueCore}); run by {@link #fail} after each failure, without {@link #lock}.
     */
    private final Runnable afterFailure;

    QueueState(XQueueConfig config, Device device, SchedulerClock clock, Runnable afterFailure) {
        this.afterFailure = afterFailure;
        this.lockSpinNanos = config.lockSpin().toNanos();
        this.window = new ReleaseWindow(config);
        this.life = new QueueLifecycle(config.name());
        this.yield = new YieldController(config.name(), device, config.threshold(), config.cooperativeYield(),
                config.deviceGate(), lock);
        this.suspensionTime = new SuspensionTime(clock);
    }

    /** Takes {@link #lock}, spinning briefly first (see {@link SpinThenLock}). */
    void lock() {
        SpinThenLock.acquire(lock, lockSpinNanos);
    }

    void unlock() {
        lock.unlock();
    }

    /** Reads state under {@link #lock}. */
    <T> T locked(Supplier<T> read) {
        lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** Called under {@link #lock}: nothing is buffered, being issued or in flight, and no sync point is pending. */
    boolean holdsNothing() {
        // A command taken from the buffer but still being issued is work too.
        return buffer.isEmpty() && issuing == 0 && completedSeq == launchedSeq && syncPoints.isEmpty();
    }

    /** Called under {@link #lock}: wakes every thread waiting on the queue, the completion thread too (a failure, a close). */
    void signalEveryone() {
        changed.signalAll();
        completionWake.signalAll();
    }

    /**
     * Called under {@link #lock}: discards every buffered command unrun (a failure, a close with
     * DROP). They count as dropped, waits that include them fail, and the state memory of
     * yieldable launches among them goes back to the pool.
     */
    void dropBuffered() {
        if (!buffer.isEmpty()) {
            life.dropped(buffer.peekFirst().seq());
        }
        dropped += buffer.size();
        yield.discarded(buffer);
        buffer.clear();
    }

    /**
     * The queue fails for good with {@code e}, raised by {@code command} (null: a sync point or the
     * stop flag): nothing more is released, the buffer is dropped, and every waiter wakes to get
     * the failure; then {@code afterFailure} runs. Takes {@link #lock}; call without it.
     */
    void fail(Command command, RuntimeException e) {
        RuntimeException failed = life.describe(command, e);
        lock();
        try {
            life.fail(failed);
            if (command != null) {
                // It was taken from the buffer to be issued: it never ran either.
                life.dropped(command.seq());
                dropped++;
            }
            dropBuffered();
            signalEveryone();
        } finally {
            lock.unlock();
        }
        afterFailure.run();
    }
}
