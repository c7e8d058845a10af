package dev.xsched.hip;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The commands a program puts on a GPU queue. Both a plain {@link Stream} and a scheduled queue
 * (xsched-core's {@code XQueue}) implement it, so a program switches to scheduling by replacing
 * the object it submits to, and nothing else.
 *
 * <p>Every command is asynchronous and runs in submission order. Host memory given to an
 * asynchronous copy must be native ({@code MemorySegment.isNative()}) and stay alive until the
 * copy completes; {@link PinnedBuffer#segment()} is the fast choice. A queue may issue the copy
 * from another thread, so use shared memory ({@code Arena.ofShared()}, {@code Arena.ofAuto()},
 * {@code Arena.global()} or a pinned buffer), not {@code Arena.ofConfined()}. The {@code ...AndWait}
 * variants also accept heap segments (they stage through native memory) and return once the
 * copy, and everything submitted before it, has completed.
 */
public interface CommandQueue {
    /**
     * Launches {@code kernel}. The arguments are checked against the kernel's signature before
     * anything native happens.
     */
    void launch(Kernel kernel, LaunchConfig config, KernelArgs args);

    /**
     * Launches a {@linkplain SlicedKernels sliceable} kernel as consecutive launches of at most
     * {@code blocksPerSlice} blocks each, each with its block offset appended to {@code args}
     * (given without it). The result is that of one launch of {@code config}. Everything is
     * validated before the first slice is submitted. A scheduled queue can stop between slices;
     * on a plain stream the slices simply run back to back.
     *
     * @throws IllegalArgumentException if the kernel is not sliceable with these arguments, the
     *                                  grid is not one-dimensional, or {@code blocksPerSlice < 1}
     */
    default void launchSliced(Kernel kernel, LaunchConfig config, KernelArgs args, int blocksPerSlice) {
        for (SlicedKernels.Slice slice : SlicedKernels.plan(kernel, config, args, blocksPerSlice)) {
            launch(kernel, slice.config(), slice.args());
        }
    }

    /**
     * Launches a {@linkplain YieldableKernels yieldable} kernel; {@code args} are its own arguments,
     * without the three control pointers. A scheduled queue lets the kernel's blocks stop early when
     * the queue is preempted and launches it again on resume, so the result is that of one
     * complete launch; on a plain stream the control pointers are null and the kernel simply runs
     * to the end.
     *
     * @throws IllegalArgumentException if the kernel is not yieldable with these arguments
     */
    default void launchYieldable(Kernel kernel, LaunchConfig config, KernelArgs args) {
        YieldableKernels.check(kernel, config, args);
        launch(kernel, config, YieldableKernels.unmanaged(args));
    }

    /** Host to device: copies all of {@code src} into {@code dst}; the sizes must be equal. */
    void copy(DeviceMemory dst, MemorySegment src);

    /** Device to host: copies all of {@code src} into {@code dst}; the sizes must be equal. */
    void copy(MemorySegment dst, DeviceMemory src);

    /** Device to device; the sizes must be equal. */
    void copy(DeviceMemory dst, DeviceMemory src);

    /** Sets every byte of {@code dst} to {@code value} (0..255). */
    void memset(DeviceMemory dst, int value);

    /** Records {@code event}: it completes when everything submitted before it has. */
    void record(Event event);

    /** Later commands of this queue wait until {@code event} (of any queue) completes. */
    void waitFor(Event event);

    /**
     * Runs {@code work}, which enqueues asynchronous work of other code (a vendor library call) on
     * this queue's stream, in order with the queue's other commands; see {@link StreamWork} for
     * what it may do. It counts as one command. On a plain stream it runs at once; a scheduled
     * queue calls it when it releases the command.
     */
    void enqueue(StreamWork work);

    /** Waits until every command submitted so far has completed. */
    void synchronize();

    /** Whether every command submitted so far has completed (a non-blocking query). */
    boolean isIdle();

    /** Host to device, then waits; {@code src} may be a heap segment. */
    default void copyAndWait(DeviceMemory dst, MemorySegment src) {
        if (src.isNative()) {
            copy(dst, src);
            synchronize();
            return;
        }
        // Shared, not confined: the copy may be issued by another thread (a scheduler's queue).
        try (Arena arena = Arena.ofShared()) {
            MemorySegment staging = arena.allocate(src.byteSize(), 16);
            staging.copyFrom(src);
            copy(dst, staging);
            synchronize();
        }
    }

    /** Device to host, then waits; {@code dst} may be a heap segment. */
    default void copyAndWait(MemorySegment dst, DeviceMemory src) {
        if (dst.isNative()) {
            copy(dst, src);
            synchronize();
            return;
        }
        try (Arena arena = Arena.ofShared()) {
            MemorySegment staging = arena.allocate(dst.byteSize(), 16);
            copy(staging, src);
            synchronize();
            dst.copyFrom(staging);
        }
    }
}
