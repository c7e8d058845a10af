package dev.xsched.core.internal;

import dev.xsched.core.coordination.StopWord;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;

import java.lang.foreign.ValueLayout;
import java.util.EnumSet;

/**
 * The cross-process stop of one queue: a stream of its own that waits on the device until the
 * queue's {@link StopWord} moves past the value it last saw, then raises the queue's stop flag.
 * Another process advances the word before its first kernel, and the flag is up within
 * microseconds, with no host thread of this process on the way; the suspend that the scheduler
 * server then sends finds it up. A raise is one-shot: once the flag comes down again
 * ({@link #beforeLowering}, {@link #afterLowering}) the wait is armed anew, past the word's value
 * at that time.
 *
 * <p>The wait and the raise go on their own stream, not on the flag's: a wait pending there would
 * hold every write of the flag behind it. So the two streams are ordered explicitly: a lowering
 * of the flag after a raise (the word moved) waits on the device for the raise's event first,
 * since the host sees the word move before the device has acted on it.
 *
 * <p>Guarded by the flag lock of its {@link YieldSupport}, which makes every call but
 * {@link #fired()}, the construction and the closes (made before the stop is installed, and after
 * it was removed, since they make device-wide calls).
 */
final class RemoteStop implements AutoCloseable {
    private final StopWord word;
    private final RegisteredHostMemory memory;
    private final Stream armStream;
    private final Event raised;
    private final DeviceMemory flag;
    /**
     * What the raise copies into the flag: 1, except while {@link #pause} releases the wait, when
     * it holds the flag's current value so that the copy changes nothing. Pinned host memory of
     * its own (the flag's constants are shared with every other write of the flag).
     */
    private final PinnedBuffer raiseSource;
    /** Marks {@link #armed} as holding a pending wait. */
    private static final long PENDING = 1L << 32;
    /**
     * {@link #PENDING} plus the value the pending wait waits for (low 32 bits) while a wait is
     * enqueued whose raise has not been followed by a lowering yet, else 0. One volatile word,
     * written under the flag lock, so that {@link #fired()} can be read under the queue's lock
     * without the flag lock (whose holder takes the queue's lock: the other order would deadlock)
     * and never sees the flag of one wait with the value of another.
     */
    private volatile long armed;
    /** No new wait is armed: the queue is closing, or its process lost the server (fail open). */
    private boolean disarmed;
    /** How many {@link #pause}s are in force; the wait is armed only at 0. */
    private int pauses;

    /**
     * Makes the stop's stream, event and raise source; arms nothing until {@link #start}. Makes
     * device-wide calls (the word's file registers itself for the device on first use; a failure
     * frees pinned memory), whose listeners take other queues' flag locks: construct without
     * holding any flag lock ({@link YieldSupport#armRemote}).
     */
    RemoteStop(StopWord word, Device device, DeviceMemory flag) {
        this.word = word;
        this.flag = flag;
        this.memory = word.registrationFor(device);
        this.raiseSource = device.allocatePinned(Integer.BYTES);
        Stream stream = null;
        Event event = null;
        try {
            raiseSource.segment().set(ValueLayout.JAVA_INT, 0, 1);
            stream = device.createStream(device.streamPriorityRange().greatest());
            event = device.createEvent(EnumSet.of(EventFlag.DISABLE_TIMING));
            this.armStream = stream;
            this.raised = event;
        } catch (RuntimeException e) {
            for (AutoCloseable made : new AutoCloseable[] {event, stream, raiseSource}) {
                if (made != null) {
                    try {
                        made.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
            }
            throw e;
        }
    }

    /**
     * Arms the first wait, unless {@code pausesInForce} device-wide calls are under way (each
     * {@link #resume()}s it when it ends; the last one arms it). Under the flag lock. If the arm
     * fails half-way, a wait may be enqueued with its copy behind it: it is let go with the copy
     * writing {@code flagUp}, the flag's value now, so that the queue's flag (which a suspend may
     * have raised) does not change, and the failure is thrown; then close with
     * {@link #closeKeepingWord()}.
     */
    void start(int pausesInForce, boolean flagUp) {
        pauses = pausesInForce;
        try {
            armIfIdle();
        } catch (RuntimeException e) {
            try {
                letGo(flagUp);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void arm() {
        int value = word.value() + 1;
        armStream.waitUntilAtLeast(memory, word.offset(), value);
        armStream.copy(flag, raiseSource.segment());
        armStream.record(raised);
        armed = PENDING | (value & 0xFFFF_FFFFL);
    }

    /**
     * Lets the pending wait go without raising the flag: the copy behind the wait writes
     * {@code flagUp}, the flag's value now, and the stream is waited for before this returns.
     * Nothing writes the flag meanwhile (the caller holds the flag lock). The wait counts as
     * disarmed before the word moves, so the move is never taken for a raise. A store by another
     * process meanwhile stops nothing; the scheduler's suspend still follows it. Does nothing if a
     * raise fired: its lowering handles it as always (and arms no new wait while disarmed or paused).
     */
    private void release(boolean flagUp) {
        if (!pending() || fired()) {
            return;
        }
        letGo(flagUp);
    }

    /**
     * Lets whatever wait is enqueued go, its copy writing {@code flagUp}: counts it disarmed, then
     * moves the word past it and waits for the stream; the raise source holds 1 again after.
     */
    private void letGo(boolean flagUp) {
        armed = 0;
        raiseSource.segment().set(ValueLayout.JAVA_INT, 0, flagUp ? 1 : 0);
        word.advance();
        armStream.synchronize();
        raiseSource.segment().set(ValueLayout.JAVA_INT, 0, 1);
    }

    /**
     * For a call that waits for the whole context (the device-wide calls of hip-ffm, which
     * {@link YieldSupport} pauses around), which would otherwise wait for the word to move: lets
     * the wait go without a raise ({@link #release}). Pauses nest: the wait is armed again when the
     * last {@link #resume()} comes.
     */
    void pause(boolean flagUp) {
        if (pauses++ == 0) {
            release(flagUp);
        }
    }

    /**
     * Ends a {@link #pause}; the last one arms the wait again, unless disarmed meanwhile. A resume
     * with no pause in force is a counting fault (each device-wide call's after pairs with its
     * before): refused with nothing changed, so that the count cannot go below zero and keep the
     * wait from ever being armed again, and so that the caller's log shows it.
     *
     * @throws IllegalStateException if no pause is in force
     */
    void resume() {
        if (pauses == 0) {
            throw new IllegalStateException("a resume of the cross-process stop without a pause in force");
        }
        if (--pauses == 0) {
            armIfIdle();
        }
    }

    private void armIfIdle() {
        if (!disarmed && pauses == 0 && !pending()) {
            arm();
        }
    }

    private boolean pending() {
        return armed != 0;
    }

    /**
     * Whether the word moved past the armed value, so that the device has raised the flag or is
     * about to: the host reads the word before the device's front end acts on it. Safe without the
     * flag lock.
     */
    boolean fired() {
        long state = armed;
        return state != 0 && word.value() - (int) state >= 0;
    }

    /**
     * The flag is about to be written 0 on {@code flagStream}: if a raise fired, that write waits
     * for it on the device, so that it cannot land before the raise and leave the flag up.
     *
     * @return whether a raise fired (then call {@link #afterLowering()} once the write is issued)
     */
    boolean beforeLowering(Stream flagStream) {
        if (!fired()) {
            return false;
        }
        flagStream.waitFor(raised);
        return true;
    }

    /** The write of 0 that followed a fired raise is issued: arms the next wait, unless disarmed or paused. */
    void afterLowering() {
        armed = 0;
        armIfIdle();
    }

    /**
     * Arms no further wait and lets the pending one go without a raise ({@link #release}): for a
     * process that lost its server (a raise would have nobody to answer it) and for a closing queue.
     */
    void disarm(boolean flagUp) {
        disarmed = true;
        release(flagUp);
    }

    /** Arms again after {@link #disarm}, once the process is back with its server. */
    void rearm() {
        disarmed = false;
        armIfIdle();
    }

    /**
     * Releases the pending wait, waits for the stream, then frees it and gives the word back to
     * its file. The flag may be up afterwards: call only when nothing reads it any more. Frees
     * pinned memory, a device-wide call: call without any queue's flag lock.
     */
    @Override
    public void close() {
        try {
            closeKeepingWord();
        } finally {
            word.close();
        }
    }

    /**
     * {@link #close()} for a stop that was never installed (its queue closed while it was being
     * armed): the word stays its caller's, as after any refused arm. The raise behind the
     * released wait writes 0 into the flag, which only a closing queue tolerates.
     */
    void closeKeepingWord() {
        disarmed = true;
        // Whatever was armed (also a wait enqueued by an arm that failed half-way) is let go; the
        // flag's value no longer matters: the queue is closing and frees it after this.
        try {
            letGo(false);
        } finally {
            try {
                raised.close();
            } finally {
                try {
                    armStream.close();
                } finally {
                    raiseSource.close();
                }
            }
        }
    }
}
