package dev.xsched.core.internal;

import dev.xsched.core.coordination.StopWord;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;

import java.lang.foreign.MemorySegment;
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
 * {@link #fired()}.
 */
final class RemoteStop implements AutoCloseable {
    private final StopWord word;
    private final RegisteredHostMemory memory;
    private final Stream armStream;
    private final Event raised;
    private final DeviceMemory flag;
    private final MemorySegment one;
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

    /**
     * Arms the first wait.
     *
     * @param one a word holding 1 in host memory the copy engine reads (the source of the raise)
     */
    RemoteStop(StopWord word, Device device, DeviceMemory flag, MemorySegment one) {
        this.word = word;
        this.flag = flag;
        this.one = one;
        this.memory = word.registrationFor(device);
        this.armStream = device.createStream(device.streamPriorityRange().greatest());
        try {
            this.raised = device.createEvent(EnumSet.of(EventFlag.DISABLE_TIMING));
        } catch (RuntimeException e) {
            armStream.close();
            throw e;
        }
        arm();
    }

    private void arm() {
        int value = word.value() + 1;
        armStream.waitUntilAtLeast(memory, word.offset(), value);
        armStream.copy(flag, one);
        armStream.record(raised);
        armed = PENDING | (value & 0xFFFF_FFFFL);
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

    /** The write of 0 that followed a fired raise is issued: arms the next wait, unless disarmed. */
    void afterLowering() {
        armed = 0;
        if (!disarmed) {
            arm();
        }
    }

    /**
     * Arms no further wait and releases the pending one (the owner advances its own word), so its
     * raise fires; the queue lowers the flag afterwards as after any raise. For a process that
     * lost its server (a raise then has nobody to answer it) and for a closing queue.
     */
    void disarm() {
        disarmed = true;
        if (pending() && !fired()) {
            word.advance();
        }
    }

    /** Arms again after {@link #disarm()}, once the process is back with its server. */
    void rearm() {
        disarmed = false;
        if (!pending()) {
            arm();
        }
    }

    /**
     * Releases the pending wait, waits for the stream, then frees it. The flag may be up
     * afterwards: call only when nothing reads it any more.
     */
    @Override
    public void close() {
        disarm();
        try {
            armStream.synchronize();
        } finally {
            try {
                raised.close();
            } finally {
                armStream.close();
                word.close();
            }
        }
    }
}
