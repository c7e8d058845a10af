package dev.xsched.hip.internal;

import dev.xsched.hip.PinnedBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What every platform's pinned buffer shares: a segment bound to a shared arena that is closed
 * before the memory is freed, so any later access throws instead of touching freed memory.
 */
public abstract class AbstractPinnedBuffer extends OwnedResource implements PinnedBuffer {
    private final Arena arena;
    private final MemorySegment segment;
    private final long deviceAddress;

    /**
     * Wraps native memory the platform allocated: {@code raw} becomes a segment of {@code byteSize}
     * bytes, which kernels reach at {@code deviceAddress}.
     */
    protected AbstractPinnedBuffer(MemorySegment raw, long byteSize, long deviceAddress) {
        super("pinned buffer");
        this.arena = Arena.ofShared();
        this.segment = raw.reinterpret(byteSize, arena, null);
        this.deviceAddress = deviceAddress;
    }

    /**
     * Uses memory of the buffer's own arena (no platform allocation), which kernels reach at
     * {@code deviceAddress} (a simulated mapping).
     */
    protected AbstractPinnedBuffer(long byteSize, long alignment, long deviceAddress) {
        super("pinned buffer");
        this.arena = Arena.ofShared();
        this.segment = arena.allocate(byteSize, alignment);
        this.deviceAddress = deviceAddress;
    }

    /** Frees the platform's memory after the segment became inaccessible; called once. */
    protected abstract void free();

    @Override
    public MemorySegment segment() {
        ensureOpen();
        return segment;
    }

    @Override
    public long deviceAddress() {
        ensureOpen();
        return deviceAddress;
    }

    @Override
    public long byteSize() {
        return segment.byteSize();
    }

    @Override
    public void close() {
        if (markClosed()) {
            arena.close();
            free();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + segment.byteSize() + " bytes" + (isOpen() ? "" : ", closed") + "]";
    }
}
