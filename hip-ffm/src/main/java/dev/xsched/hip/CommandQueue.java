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
 *
 * <p>Every argument is checked when the command is submitted, before anything native happens
 * ({@link CommandChecks} lists the checks of copies and memsets). On a {@link Stream} each command
 * is then one native call, named below; a failure of that call is a {@link HipException}. A
 * failure of the work itself (a kernel that faults) surfaces later, at the next call that
 * synchronizes or queries. A scheduled queue holds commands and issues them later, from its own
 * thread; the {@code XQueue} documentation says how it reports their failures.
 */
public interface CommandQueue {
    /**
     * The device this queue's commands run on; a library that takes a caller's queue checks its
     * own device against it before anything is queued.
     *
     * @return the device
     */
    Device device();

    /**
     * Launches {@code kernel} ({@code hipModuleLaunchKernel}, {@code cuLaunchKernel}). The
     * arguments are checked against the kernel's signature before anything native happens, and
     * copied: {@code args} may be reused at once.
     *
     * @param kernel a kernel of a module loaded on this queue's device, still loaded
     * @param config grid, block and dynamic shared memory
     * @param args   the arguments, matching {@link Kernel#signature()}
     * @throws IllegalArgumentException if the kernel belongs to another platform or device, or the
     *                                  arguments do not match its signature
     * @throws IllegalStateException    if the queue is closed, the kernel's module is unloaded, or
     *                                  a buffer passed as an argument is closed
     * @throws HipException             if the driver rejects the launch, for example a block of
     *                                  more threads or shared memory than the device allows
     */
    void launch(Kernel kernel, LaunchConfig config, KernelArgs args);

    /**
     * Launches a {@linkplain SlicedKernels sliceable} kernel as consecutive launches of at most
     * {@code blocksPerSlice} blocks each, each with its block offset appended to {@code args}
     * (given without it). The result is that of one launch of {@code config}. Everything is
     * validated before the first slice is submitted. A scheduled queue can stop between slices;
     * on a plain stream the slices simply run back to back.
     *
     * @param kernel         a kernel whose last parameter is the {@code int} block offset
     * @param config         the logical launch; its grid must be one-dimensional
     * @param args           the arguments before the block offset
     * @param blocksPerSlice the most blocks one slice launches, {@code >= 1}
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
     * @param kernel a kernel whose last three parameters are {@code XSCHED_YIELD_PARAMS}
     * @param config grid, block and dynamic shared memory; any grid shape
     * @param args   the arguments before the control pointers
     * @throws IllegalArgumentException if the kernel is not yieldable with these arguments
     */
    default void launchYieldable(Kernel kernel, LaunchConfig config, KernelArgs args) {
        YieldableKernels.check(kernel, config, args);
        launch(kernel, config, YieldableKernels.unmanaged(args));
    }

    /**
     * Host to device: copies all of {@code src} into {@code dst} ({@code hipMemcpyAsync},
     * {@code cuMemcpyHtoDAsync}). From pinned memory the copy is a DMA that overlaps the caller;
     * from pageable native memory the driver stages it first.
     *
     * @param dst device memory of this queue's platform
     * @param src native host memory of the same size, alive and unchanged until the copy completes
     * @throws IllegalArgumentException if the sizes differ, {@code src} is a heap segment, or
     *                                  {@code dst} belongs to another platform
     * @throws IllegalStateException    if the queue or {@code dst} is closed or {@code src} is no
     *                                  longer alive
     */
    void copy(DeviceMemory dst, MemorySegment src);

    /**
     * Device to host: copies all of {@code src} into {@code dst} ({@code hipMemcpyAsync},
     * {@code cuMemcpyDtoHAsync}). Into pageable native memory the drivers return only once the
     * copy has completed; into pinned memory at once.
     *
     * @param dst native, writable host memory of the same size, alive until the copy completes
     * @param src device memory of this queue's platform
     * @throws IllegalArgumentException if the sizes differ, {@code dst} is a heap or read-only
     *                                  segment, or {@code src} belongs to another platform
     * @throws IllegalStateException    if the queue or {@code src} is closed or {@code dst} is no
     *                                  longer alive
     */
    void copy(MemorySegment dst, DeviceMemory src);

    /**
     * Device to device ({@code hipMemcpyAsync}, {@code cuMemcpyDtoDAsync}).
     *
     * @param dst device memory of this queue's platform
     * @param src device memory of the same platform and size
     * @throws IllegalArgumentException if the sizes differ or a buffer belongs to another platform
     * @throws IllegalStateException    if the queue or a buffer is closed
     */
    void copy(DeviceMemory dst, DeviceMemory src);

    /**
     * Sets every byte of {@code dst} to {@code value} ({@code hipMemsetAsync},
     * {@code cuMemsetD8Async}).
     *
     * @param dst   device memory of this queue's platform
     * @param value the byte, 0..255
     * @throws IllegalArgumentException if {@code value} is not a byte or {@code dst} belongs to
     *                                  another platform
     * @throws IllegalStateException    if the queue or {@code dst} is closed
     */
    void memset(DeviceMemory dst, int value);

    /**
     * Records {@code event} ({@code hipEventRecord}, {@code cuEventRecord}): it completes when
     * everything submitted before it has. Recording again moves the event to the new point.
     *
     * <p>The event must be of this queue's device: the drivers refuse another device's event with
     * {@link HipError#INVALID_HANDLE}, which a {@link Stream} throws at once as a
     * {@link HipException} (the simulated one too).
     *
     * @param event an open event of this queue's platform
     * @throws IllegalArgumentException if the event belongs to another platform
     * @throws IllegalStateException    if the queue or the event is closed
     */
    void record(Event event);

    /**
     * Later commands of this queue wait until {@code event} (of any queue) completes
     * ({@code hipStreamWaitEvent}, {@code cuStreamWaitEvent}). The wait happens on the device; this
     * call does not block. It waits for the event's last record submitted before this call; an
     * event never recorded counts as complete.
     *
     * @param event an open event of this queue's platform
     * @throws IllegalArgumentException if the event belongs to another platform
     * @throws IllegalStateException    if the queue or the event is closed
     */
    void waitFor(Event event);

    /**
     * Runs {@code work}, which enqueues asynchronous work of other code (a vendor library call) on
     * this queue's stream, in order with the queue's other commands; see {@link StreamWork} for
     * what it may do. It counts as one command. On a plain stream it runs at once; a scheduled
     * queue calls it when it releases the command.
     *
     * @param work the work; it must not block on the stream or keep it
     * @throws IllegalStateException if the queue is closed
     */
    void enqueue(StreamWork work);

    /**
     * Waits until every command submitted so far has completed ({@code hipStreamSynchronize},
     * {@code cuStreamSynchronize}); the simulated platform in virtual time advances its clock as far
     * as needed instead.
     *
     * @throws HipException          if the wait fails, for example because a kernel faulted
     * @throws IllegalStateException if the queue is closed
     */
    void synchronize();

    /**
     * Whether every command submitted so far has completed: a non-blocking query
     * ({@code hipStreamQuery}, {@code cuStreamQuery}).
     *
     * @return true when the queue is idle, false while work is pending or running
     * @throws HipException          if the query reports an error other than "not ready"
     * @throws IllegalStateException if the queue is closed
     */
    boolean isIdle();

    /**
     * Host to device, then waits for the copy and everything submitted before it; {@code src} may
     * be a heap segment (it is staged through native memory) and may be reused when this returns.
     *
     * @param dst device memory of this queue's platform
     * @param src host memory of the same size, heap or native
     * @throws IllegalArgumentException as {@link #copy(DeviceMemory, MemorySegment)}, except for
     *                                  heap segments
     * @throws HipException             if the copy or the wait fails
     */
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

    /**
     * Device to host, then waits for the copy and everything submitted before it; {@code dst} may
     * be a heap segment (the data arrives through native memory) and holds the result when this
     * returns.
     *
     * @param dst host memory of the same size, heap or native
     * @param src device memory of this queue's platform
     * @throws IllegalArgumentException as {@link #copy(MemorySegment, DeviceMemory)}, except for
     *                                  heap segments
     * @throws HipException             if the copy or the wait fails
     */
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
