package dev.xsched.hip;

import java.lang.foreign.MemorySegment;

/**
 * Page-locked, device-mapped host memory ({@code hipHostMalloc} with {@code hipHostMallocMapped}), the fast and truly asynchronous side of
 * host/device copies. {@link #segment()} is a {@link MemorySegment} whose lifetime ends with
 * {@link #close()}: using it afterwards throws {@link IllegalStateException} instead of touching
 * freed memory.
 */
public interface PinnedBuffer extends AutoCloseable {
    MemorySegment segment();

    long byteSize();

    /**
     * The address at which kernels reach this memory directly over the bus (host-mapped, zero
     * copy): for flags and small results that the host and a running kernel exchange without a
     * copy, as {@link YieldableKernels cooperative yield} does. Every pinned buffer is allocated
     * mapped. Pass it to a kernel with {@link KernelArgs.Builder#pointer(PinnedBuffer, long)}.
     *
     * @throws IllegalStateException if the buffer is closed
     */
    long deviceAddress();

    boolean isOpen();

    @Override
    void close();
}
