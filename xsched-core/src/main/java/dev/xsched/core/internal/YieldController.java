package dev.xsched.core.internal;

import dev.xsched.hip.Device;
import dev.xsched.hip.Event;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The cooperative-yield state of one queue ({@link dev.xsched.hip.YieldableKernels}): which
 * yieldable launches are in flight or stopped early, and the stop flag's state. Its memory
 * ({@link YieldSupport}: the flag on the device, the records, the per-block state) is made by the
 * first yieldable launch.
 *
 * <p>The flag moves DOWN, then UP (a suspend while yieldable launches are in flight: their blocks
 * stop at their next check), then LOWERING (everything released completed and the queue is
 * resumed: the write of 0 is being issued), then DOWN again. Nothing is released unless it is
 * DOWN, and the first stream command after a write waits for that write on the device.
 *
 * <p>With the device gate ({@code XQueueConfig.deviceGate}), the commands that cannot stop
 * themselves go to the stream behind a wait the device performs until the flag is 0, so a suspend
 * also holds those released and not yet started. The flag is then raised while such a gated command
 * is in flight too, and a resume (or a close) brings it down at once rather than once everything
 * released completed, because gated work behind a raised flag never completes. That is safe: a
 * plain command is never released behind a yieldable launch in flight ({@link #holdsBack}), so
 * while a gated command is in flight every yieldable launch in flight is behind it. (The queue
 * learns of completions late: a gated command may have finished, and a yieldable launch behind it
 * stopped at the raised flag, before the lowering; that launch goes back to the buffer when its
 * completion is seen, as after any stop, and no plain command is released behind it meanwhile.) Once
 * the queue is closing, a suspend no longer raises the flag for gated work: released work cannot
 * be recalled ({@link #openGatesForGood}). Likewise an event record is
 * released only once the gated work before it completed ({@link #holdsBack}), so no record is ever
 * held by a gate, and another stream's wait for it on the device never depends on a resume.
 *
 * <p>Every method except {@link #support}, {@link #writeFlag}, {@link #flagWritten} and
 * {@link #close} is called under the queue's lock, which guards every field but {@link #support}
 * (volatile) and {@link #closed} (guarded by this). {@link #flagWritten} reads only the support,
 * which is made before any release waits for its flag write.
 */
final class YieldController {
    private enum Flag { DOWN, UP, LOWERING }

    private final String queueName;
    private final Device device;
    private final int slots;
    private final boolean enabled;
    private final boolean deviceGate;
    private final ReentrantLock queueLock;

    /** Made by the first yieldable launch; volatile for the lazy creation. */
    private volatile YieldSupport support;
    /** Closed: no support is made any more (nothing would free it). Guarded by this. */
    private boolean closed;
    private Flag flag = Flag.DOWN;
    /** The next stream command must wait for the latest flag write first. */
    private boolean waitForFlag;
    /** Close with DROP: launches that stop early are dropped instead of going back. */
    private boolean dropStopped;
    /** Yieldable launches released and not yet known complete, in order. */
    private final ArrayDeque<Command.YieldableLaunch> inFlight = new ArrayDeque<>();
    /** Yieldable launches that completed having stopped early, in order, waiting to go back. */
    private final List<Command.YieldableLaunch> stoppedEarly = new ArrayList<>();
    /** How many launches went back to the buffer after stopping early. */
    private long yielded;
    /** The sequence number of the latest gated command released (device gate), 0 before any. */
    private long lastGated;
    /** The queue is closing: gated commands released run, and no suspend holds them again. */
    private boolean gatesOpenForGood;
    /**
     * Another process's store raised the flag ({@link RemoteStop}): it stays up, and releases stay
     * stopped, until a decision about this queue arrives (the scheduler server's suspend, or its
     * resume when its policy lets the queue run after all), not merely until what it stopped settles.
     */
    private boolean remoteHold;
    /** Told (under the queue's lock) each time a store by another process starts holding releases; set once. */
    private volatile Runnable onRemoteHold = () -> { };

    YieldController(String queueName, Device device, int slots, boolean enabled, boolean deviceGate,
                    ReentrantLock queueLock) {
        this.queueName = queueName;
        this.device = device;
        this.slots = slots;
        this.enabled = enabled;
        this.deviceGate = deviceGate;
        this.queueLock = queueLock;
    }

    /**
     * The memory for yieldable launches, made on first use; called without the queue's lock.
     *
     * @throws IllegalStateException once {@link #close()} ran: made then, it would never be freed
     */
    YieldSupport support() {
        YieldSupport made = support;
        if (made == null) {
            synchronized (this) {
                made = support;
                if (made == null) {
                    if (closed) {
                        throw YieldSupport.closedQueue(queueName);
                    }
                    made = new YieldSupport(queueName, device, slots);
                    queueLock.lock();
                    try {
                        // Published first: a release that sees waitForFlag (under this lock) then
                        // reads the support without it (flagWritten()); published after
                        // the unlock, it could still read null.
                        support = made;
                        waitForFlag = true; // for the flag's first write, of 0
                    } finally {
                        queueLock.unlock();
                    }
                }
            }
        }
        return made;
    }

    /** Whether the flag's state stops every release: also once another process raised it. */
    boolean blocksReleases() {
        noticeRemoteRaise();
        return flag != Flag.DOWN;
    }

    /**
     * Arms the cross-process stop ({@link RemoteStop}) on {@code word}, making this queue's yield
     * memory if it has none yet; called without the queue's lock.
     */
    void armRemote(dev.xsched.core.coordination.StopWord word) {
        support().armRemote(word);
    }

    /** Releases the pending cross-process wait and arms none until {@link #rearmRemote()}; without the queue's lock. */
    void disarmRemote() {
        ifMade(YieldSupport::disarmRemote);
    }

    /** Arms the cross-process stop again; without the queue's lock. */
    void rearmRemote() {
        ifMade(YieldSupport::rearmRemote);
    }

    /** Runs {@code action} on the yield memory if it was made (nothing is armed otherwise); without the queue's lock. */
    private void ifMade(Consumer<YieldSupport> action) {
        YieldSupport made = support;
        if (made != null) {
            action.accept(made);
        }
    }

    /**
     * If another process's store raised the flag while it was down here, takes the flag as up and
     * holds it there until a decision ({@link #decided}).
     */
    private void noticeRemoteRaise() {
        YieldSupport made = support;
        if (flag == Flag.DOWN && made != null && made.remoteFired()) {
            flag = Flag.UP;
            remoteHold = true;
            onRemoteHold.run();
        }
    }

    /** Sets what runs, under the queue's lock, when a store by another process starts holding releases. */
    void onRemoteHold(Runnable action) {
        this.onRemoteHold = action;
    }

    /** Whether a flag another process raised holds releases (or is about to) until a decision. */
    boolean holdsRemoteRaise() {
        noticeRemoteRaise();
        return remoteHold;
    }

    /**
     * A decision about this queue arrived (a suspend or a resume, also one that changes nothing):
     * a flag raised by another process is this queue's own from now on, lowered as usual once the
     * queue settles resumed.
     */
    void decided() {
        noticeRemoteRaise();
        remoteHold = false;
    }

    /**
     * Whether {@code head} must wait: a yieldable launch in flight may still stop early, so
     * nothing that could consume its result goes behind it until it completed for good; with the
     * device gate, an event record waits until the gated work before it completed.
     */
    boolean holdsBack(Command head, long completedSeq) {
        return (enabled && !(head instanceof Command.YieldableLaunch) && !inFlight.isEmpty())
                // An event record goes to the stream only once the gated work before it completed:
                // behind a gate it could be held while this queue is suspended, and another stream
                // waiting for the event on the device (out of the scheduler's sight) would then wait
                // for this queue to be resumed, while the policy may keep it suspended because that
                // stream's queue has work: a deadlock the API stress found.
                || (deviceGate && head instanceof Command.Record && gatedInFlight(completedSeq));
    }

    /** Whether the stream command about to be issued must first wait for the flag's latest write (asked once). */
    boolean takeFlagWait() {
        boolean wait = waitForFlag;
        waitForFlag = false;
        return wait;
    }

    /**
     * {@code command} is about to be issued: a yieldable launch is tracked from now on, so a
     * suspend stops it; with the device gate, a command that cannot stop itself is too, so a
     * suspend raises the flag that holds it.
     *
     * @return whether it goes to the stream behind the device gate
     */
    boolean releasing(Command command) {
        if (command instanceof Command.YieldableLaunch launch) {
            inFlight.addLast(launch);
            return false;
        }
        if (deviceGate && gated(command)) {
            lastGated = command.seq();
            return true;
        }
        return false;
    }

    /** The commands the device gate holds: work that takes time and cannot stop itself (not events). */
    private static boolean gated(Command command) {
        return switch (command) {
            case Command.Launch l -> true;
            case Command.CopyToDevice c -> true;
            case Command.CopyToHost c -> true;
            case Command.CopyOnDevice c -> true;
            case Command.Memset m -> true;
            case Command.Foreign f -> true;
            case Command.YieldableLaunch y -> false;
            case Command.Record r -> false;
            case Command.Wait w -> false;
            case Command.HostCallback h -> false;
        };
    }

    /**
     * Whether a command released behind the device gate has not completed yet, given the queue's
     * {@code completedSeq} (however its completion was learnt: a sync point, or a host callback
     * that runs once everything before it completed).
     */
    private boolean gatedInFlight(long completedSeq) {
        return lastGated > completedSeq;
    }

    /**
     * A sync point covering {@code coveredUpTo} completed: sorts the yieldable launches it covers
     * into finished ones (their state memory goes back to the pool) and ones that stopped early.
     * From the first that stopped, every later one goes back too (a finished launch relaunched is
     * a no-op: its blocks are all done).
     *
     * @return the sequence number up to which everything is complete for good
     */
    long completedUpTo(long coveredUpTo) {
        while (!inFlight.isEmpty() && inFlight.peekFirst().seq() <= coveredUpTo) {
            Command.YieldableLaunch launch = inFlight.pollFirst();
            if (!stoppedEarly.isEmpty() || support.yielded(launch.seq())) {
                stoppedEarly.add(launch);
            } else {
                support.releaseState(launch.state());
            }
        }
        return stoppedEarly.isEmpty() ? coveredUpTo : Math.min(coveredUpTo, stoppedEarly.getFirst().seq() - 1);
    }

    /** Whether launches stopped or the flag is up, and no yieldable launch is still in flight: time to settle. */
    boolean wantsSettling() {
        return (flag == Flag.UP || !stoppedEarly.isEmpty()) && inFlight.isEmpty();
    }

    /** The launches that stopped early, in order, for the queue to put back or drop; the list is emptied. */
    List<Command.YieldableLaunch> takeStopped() {
        List<Command.YieldableLaunch> stopped = List.copyOf(stoppedEarly);
        stoppedEarly.clear();
        return stopped;
    }

    boolean dropsStopped() {
        return dropStopped;
    }

    /** Close with DROP: launches that stop early from now on are dropped. */
    void dropStoppedFromNowOn() {
        dropStopped = true;
    }

    void countYielded(int launches) {
        yielded += launches;
    }

    long yielded() {
        return yielded;
    }

    /**
     * A suspend: raises the flag if yieldable launches are in flight, or gated commands (unless
     * the queue is closing: {@link #openGatesForGood}).
     *
     * @return whether the caller must {@link #writeFlag()} (outside the lock)
     */
    boolean raise(long completedSeq) {
        if (gatesOpenForGood && gatedInFlight(completedSeq)) {
            // A closing queue's released work runs: held again, a close (with DROP too) would wait
            // for as long as the policy keeps the queue suspended.
            return false;
        }
        if (flag == Flag.DOWN && ((enabled && !inFlight.isEmpty()) || gatedInFlight(completedSeq))) {
            flag = Flag.UP;
            return true;
        }
        return false;
    }

    /**
     * On a resume, or a close (what was released runs): if the flag is up and gated commands are
     * in flight, starts lowering it now (see the class comment for why this cannot overtake a
     * launch that stopped early).
     *
     * @return whether the caller must {@link #writeFlag()} then {@link #lowered()} (outside the lock)
     */
    boolean startOpeningGates(long completedSeq) {
        if (flag == Flag.UP && gatedInFlight(completedSeq)) {
            flag = Flag.LOWERING;
            return true;
        }
        return false;
    }

    /**
     * The queue starts closing: what the device gate holds runs now, suspended or not, and from
     * now on a suspend no longer holds gated work released (released work cannot be recalled).
     *
     * @return whether the caller must {@link #writeFlag()} then {@link #lowered()} (outside the lock)
     */
    boolean openGatesForGood(long completedSeq) {
        gatesOpenForGood = true;
        decided(); // a raise by another process no longer holds a closing queue
        return startOpeningGates(completedSeq);
    }

    /**
     * Once settled and resumed: starts lowering the flag; nothing is released until {@link #lowered()}.
     *
     * @return whether the caller must {@link #writeFlag()} then {@link #lowered()} (outside the lock)
     */
    boolean startLowering(boolean suspended) {
        if (flag == Flag.UP && !suspended && !remoteHold) {
            flag = Flag.LOWERING;
            return true;
        }
        return false;
    }

    /** The write of 0 is issued: releases go on, the first behind a wait for that write. */
    void lowered() {
        flag = Flag.DOWN;
        waitForFlag = true;
    }

    /**
     * Brings the device's flag to the state wanted now (a native call: outside the queue's lock).
     * Racing writers each write the value current at their turn, in order, so the last write
     * matches the latest wish.
     */
    void writeFlag() {
        support.writeFlag(() -> {
            queueLock.lock();
            try {
                return flag == Flag.UP;
            } finally {
                queueLock.unlock();
            }
        });
    }

    /** Recorded after the flag's latest write. */
    Event flagWritten() {
        return support.flagWritten();
    }

    /** The state memory of yieldable launches that will never be issued (again) goes back. */
    void discarded(Iterable<? extends Command> commands) {
        for (Command command : commands) {
            if (command instanceof Command.YieldableLaunch launch) {
                support.releaseState(launch.state());
            }
        }
    }

    /** Frees the memory, if any was made, and makes none from now on; call once nothing is in flight. */
    void close() {
        YieldSupport made;
        synchronized (this) {
            closed = true;
            made = support;
        }
        if (made != null) {
            made.close();
        }
    }
}
