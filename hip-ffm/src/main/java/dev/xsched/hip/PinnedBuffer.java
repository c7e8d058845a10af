package dev.xsched.hip;

import java.lang.foreign.MemorySegment;

/**
 * Page-locked, device-mapped host memory ({@code hipHostMalloc} with {@code hipHostMallocMapped},
 * {@code cuMemHostAlloc} with {@code PORTABLE | DEVICEMAP}; made by
 * {@link Device#allocatePinned(long)}), the fast and truly asynchronous side of host/device
 * copies. {@link #segment()} is a {@link MemorySegment} whose lifetime ends with {@link #close()}:
 * using it afterwards throws {@link IllegalStateException} instead of touching freed memory.
 * The segment belongs to a shared arena: any thread may access it.
 */
public interface PinnedBuffer extends AutoCloseable {
    /**
     * The memory, as host code reads and writes it.
     *
     * @return a shared native segment of {@link #byteSize()} bytes, invalid after {@link #close()}
     * @throws IllegalStateException if the buffer is closed
     */
    MemorySegment segment();

    /**
     * The size.
     *
     * @return the size in bytes, as allocated
     */
    long byteSize();

    /**
     * The address at which kernels reach this memory directly over the bus (host-mapped, zero
     * copy): for flags and small results that the host and a running kernel exchange without a
     * copy, as {@link YieldableKernels cooperative yield} does. Every pinned buffer is allocated
     * mapped. Pass it to a kernel with {@link KernelArgs.Builder#pointer(PinnedBuffer, long)}.
     *
     * @return the device-side address ({@code hipHostGetDevicePointer},
     *         {@code cuMemHostGetDevicePointer}); on the simulated platform an address that
     *         {@link dev.xsched.hip.sim.SimMemory} resolves to this buffer's bytes
     * @throws IllegalStateException if the buffer is closed
     */
    long deviceAddress();

    /**
     * Whether the memory is still allocated.
     *
     * @return false once {@link #close()} was called
     */
    boolean isOpen();

    /**
     * Ends the segment's lifetime, then frees the memory ({@code hipHostFree},
     * {@code cuMemFreeHost}); only the first call does anything, a device-wide call of the device
     * that allocated it ({@link Device#onDeviceWideCalls}). Copies and kernels that use the
     * memory must have completed.
     *
     * @throws HipException if the driver call fails
     */
    @Override
    void close();
}
