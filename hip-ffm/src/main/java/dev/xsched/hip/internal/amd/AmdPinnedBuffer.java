package dev.xsched.hip.internal.amd;

import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.internal.OwnedResource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.xsched.hip.internal.panama.hip.HipBindings.hipHostFree;

final class AmdPinnedBuffer extends OwnedResource implements PinnedBuffer {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment raw;
    private final MemorySegment segment;

    AmdPinnedBuffer(MemorySegment raw, long byteSize) {
        super("pinned buffer");
        this.raw = raw;
        // Bound to a shared arena: closing the arena first makes later access throw, not crash.
        this.segment = raw.reinterpret(byteSize, arena, null);
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
            HipCalls.check(hipHostFree(raw), "hipHostFree(bytes=" + segment.byteSize() + ")");
        }
    }

    @Override
    public String toString() {
        return "AmdPinnedBuffer[" + segment.byteSize() + " bytes" + (isOpen() ? "" : ", closed") + "]";
    }
}
