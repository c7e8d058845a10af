package dev.xsched.hip.internal;

import dev.xsched.hip.PinnedBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.LockSupport;

/**
 * What every platform's pinned buffer shares: a segment bound to a shared arena that is closed
 * before the memory is freed, so any later access throws instead of touching freed memory; the
 * free runs between the allocating device's listeners of device-wide calls (it waits for
 * everything on the device).
 */
public abstract class AbstractPinnedBuffer extends OwnedResource implements PinnedBuffer {
    /** How often a close retries while a downcall holds the segment: brief calls, rare case. */
    private static final long RELEASE_POLL_NANOS = 50_000;
    private final DeviceWideCalls deviceWideCalls;
    private final Arena arena;
    /**
     * Owns the memory of a buffer with no platform allocation, closed only after {@link #free()}:
     * the access arena's close must not give the memory back while the platform still maps it
     * (the simulator's free waits for host-memory waits, and an allocation meanwhile could get
     * the same address). Null for platform memory.
     */
    private final Arena backing;
    private final MemorySegment segment;
    private final long deviceAddress;

    /**
     * Wraps native memory the platform allocated: {@code raw} becomes a segment of {@code byteSize}
     * bytes, which kernels reach at {@code deviceAddress}.
     */
    protected AbstractPinnedBuffer(DeviceWideCalls deviceWideCalls, MemorySegment raw, long byteSize, long deviceAddress) {
        super("pinned buffer");
        this.deviceWideCalls = deviceWideCalls;
        this.arena = Arena.ofShared();
        this.backing = null;
        this.segment = raw.reinterpret(byteSize, arena, null);
        this.deviceAddress = deviceAddress;
    }

    /**
     * Uses memory of the buffer's own arena (no platform allocation), which kernels reach at
     * {@code deviceAddress} (a simulated mapping).
     */
    protected AbstractPinnedBuffer(DeviceWideCalls deviceWideCalls, long byteSize, long alignment, long deviceAddress) {
        super("pinned buffer");
        this.deviceWideCalls = deviceWideCalls;
        this.arena = Arena.ofShared();
        this.backing = Arena.ofShared();
        this.segment = backing.allocate(byteSize, alignment).reinterpret(byteSize, arena, null);
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

    /**
     * Marks the buffer closed, then closes the arena and frees the memory. A downcall on another
     * thread that was passed the segment (a copy's enqueue) keeps the arena acquired, and closing it
     * then throws: the close waits for such calls to return rather than give up with the buffer
     * counted closed and its memory never freed.
     */
    @Override
    public void close() {
        if (markClosed()) {
            closeArenaOnceReleased();
            try {
                deviceWideCalls.run(this::free);
            } finally {
                if (backing != null) {
                    backing.close();
                }
            }
        }
    }

    private void closeArenaOnceReleased() {
        boolean interrupted = false;
        while (true) {
            try {
                arena.close();
                break;
            } catch (IllegalStateException acquiredByDowncall) { // the only cause: this is its one close
                LockSupport.parkNanos(RELEASE_POLL_NANOS);
                interrupted |= Thread.interrupted(); // cleared, or the park would return at once
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + segment.byteSize() + " bytes" + (isOpen() ? "" : ", closed") + "]";
    }
}
