package dev.xsched.examples.resnet;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.Stream;

import java.lang.foreign.ValueLayout;

/**
 * Holds a stream from the start of a timed pass until the host has enqueued all of it, so that
 * the GPU runs the pass back to back and the two events around each launch time that kernel
 * alone. Without it a kernel shorter than the host's work to enqueue the next command starts only
 * when its launch call reaches the driver, after its "before" event has already been recorded on
 * the GPU: that wait lands inside the kernel's time. On the H200 on 2026-12-04 ResNet-18 at batch
 * 1 (23 launches of 6-26 us, each between two event records) had its launches add up to 0.852 ms
 * against a 0.433 ms pass that way ({@link TraceRecorder#inflationWarning}).
 *
 * <p>The hold is a wait the stream's front end performs ({@link Stream#waitUntilEquals}) on a word
 * of device memory, for the next number of a counter; {@link #release()} writes that number with a
 * copy on a stream of its own. Where the queue is not a stream that can wait for memory (AMD, an
 * XQueue), nothing is held and the pass runs as it is enqueued ({@link #active()} says which).
 *
 * <p>A held stream must not fill up: the driver queues a bounded number of commands per stream and
 * beyond that blocks the enqueuing thread, which would then never reach {@link #release()}. So
 * callers hold only passes of at most {@link #MAX_HELD_COMMANDS} commands (ResNet-18's 23 launches
 * with their events take 69). How many a driver queues before it blocks is not documented; the
 * bound is kept low for that reason, and ResNet-50's passes, which need no hold, exceed it.
 *
 * <p>Used by one thread at a time, that of the timed passes.
 */
final class PassHold implements AutoCloseable {
    /** The most commands a caller may enqueue between {@link #hold()} and {@link #release()}. */
    static final int MAX_HELD_COMMANDS = 256;

    private final Stream held;
    private final Stream releaser;
    private final DeviceBuffer word;
    private final PinnedBuffer value;
    private int pass;
    private boolean holding;

    private PassHold(Stream held, Stream releaser, DeviceBuffer word, PinnedBuffer value) {
        this.held = held;
        this.releaser = releaser;
        this.word = word;
        this.value = value;
    }

    /** A hold that holds nothing: passes run as they are enqueued. */
    static PassHold none() {
        return new PassHold(null, null, null, null);
    }

    /**
     * A hold of {@code queue} where it is a stream that can wait for device memory, else
     * {@link #none()}.
     */
    static PassHold of(Device device, CommandQueue queue) {
        if (!(queue instanceof Stream stream) || !stream.supportsMemoryWait()) {
            return none();
        }
        Stream releaser = device.createStream();
        DeviceBuffer word = null;
        PinnedBuffer value = null;
        try {
            word = device.allocate(Integer.BYTES);
            value = device.allocatePinned(Integer.BYTES);
            releaser.memset(word, 0);
            releaser.synchronize();
            return new PassHold(stream, releaser, word, value);
        } catch (RuntimeException e) {
            if (value != null) {
                value.close();
            }
            if (word != null) {
                word.close();
            }
            releaser.close();
            throw e;
        }
    }

    /** Whether {@link #hold()} holds the stream (else it and {@link #release()} do nothing). */
    boolean active() {
        return held != null;
    }

    /**
     * Enqueues the wait that keeps the stream from starting what is enqueued after it until
     * {@link #release()}.
     *
     * @throws IllegalStateException if the stream is held already
     */
    void hold() {
        if (held == null) {
            return;
        }
        if (holding) {
            throw new IllegalStateException("the stream is held already: release() it first");
        }
        held.waitUntilEquals(word, pass + 1);
        pass++;
        holding = true;
    }

    /** Lets the held stream run what was enqueued since {@link #hold()}; returns once the word is written. */
    void release() {
        if (!holding) {
            return;
        }
        value.segment().set(ValueLayout.JAVA_INT, 0, pass);
        releaser.copy(word, value.segment());
        releaser.synchronize();
        holding = false;
    }

    /** Releases a stream still held, then frees the word and the releasing stream. */
    @Override
    public void close() {
        if (held == null) {
            return;
        }
        try {
            release();
        } finally {
            releaser.close();
            value.close();
            word.close();
        }
    }
}
