package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.internal.OwnedResource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.cuMemFreeHost;

/** Page-locked host memory from {@code cuMemHostAlloc}. */
final class NvidiaPinnedBuffer extends OwnedResource implements PinnedBuffer {
    private final NvidiaDevice device;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment raw;
    private final MemorySegment segment;

    NvidiaPinnedBuffer(NvidiaDevice device, MemorySegment raw, long byteSize) {
        super("pinned buffer");
        this.device = device;
        this.raw = raw;
        // Bound to a shared arena that is closed before the free: later access throws, not crashes.
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
            device.makeCurrent();
            CudaCalls.check(cuMemFreeHost(raw), "cuMemFreeHost(bytes=" + segment.byteSize() + ")");
        }
    }

    @Override
    public String toString() {
        return "NvidiaPinnedBuffer[" + segment.byteSize() + " bytes" + (isOpen() ? "" : ", closed") + "]";
    }
}
