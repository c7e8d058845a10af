package dev.xsched.hip.internal.sim;

import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.internal.OwnedResource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** "Pinned" host memory: native memory of a shared arena, which closing the buffer closes. */
final class SimPinnedBuffer extends OwnedResource implements PinnedBuffer {
    private static final long PAGE = 4096;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment;

    SimPinnedBuffer(long byteSize) {
        super("pinned buffer");
        this.segment = arena.allocate(byteSize, PAGE);
    }

    @Override
    public MemorySegment segment() {
        ensureOpen();
        return segment;
    }

    @Override
    public long byteSize() {
        return segment.byteSize();
    }

    @Override
    public void close() {
        if (markClosed()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "SimPinnedBuffer[" + segment.byteSize() + " bytes" + (isOpen() ? "" : ", closed") + "]";
    }
}
