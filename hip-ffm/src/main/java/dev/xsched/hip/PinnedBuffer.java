package dev.xsched.hip;

import java.lang.foreign.MemorySegment;

/**
 * Page-locked host memory ({@code hipHostMalloc}), the fast and truly asynchronous side of
 * host/device copies. {@link #segment()} is a {@link MemorySegment} whose lifetime ends with
 * {@link #close()}: using it afterwards throws {@link IllegalStateException} instead of touching
 * freed memory.
 */
public interface PinnedBuffer extends AutoCloseable {
    MemorySegment segment();

    long byteSize();

    boolean isOpen();

    @Override
    void close();
}
