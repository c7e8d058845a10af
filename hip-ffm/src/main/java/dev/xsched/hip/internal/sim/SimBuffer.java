package dev.xsched.hip.internal.sim;

import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.internal.AbstractDeviceBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Simulated device memory. Its bytes live in native memory of a shared arena, allocated (zeroed)
 * on first data access: a buffer used only for timing costs nothing, and reading one never written
 * yields zeros without allocating. Closing frees the bytes; views handed out before then fail.
 */
final class SimBuffer extends AbstractDeviceBuffer {
    private final SimDevice device;
    private final AddressSpace space;
    private final long reservedBytes;
    private Arena arena;
    private MemorySegment bytes;

    SimBuffer(SimDevice device, AddressSpace space, long address, long byteSize, long reservedBytes) {
        super(device, device.deviceWideCalls(), address, byteSize);
        this.device = device;
        this.space = space;
        this.reservedBytes = reservedBytes;
    }

    /** The buffer behind a range of the simulated platform (callers have checked the platform). */
    static SimBuffer of(DeviceMemory memory) {
        if (!(memory.buffer() instanceof SimBuffer buffer)) {
            throw new IllegalArgumentException("device memory " + memory + " is not simulated device memory");
        }
        return buffer;
    }

    /** Where {@code memory} starts inside its buffer. */
    static long offsetOf(DeviceMemory memory) {
        return memory.address() - memory.buffer().address();
    }

    int deviceIndex() {
        return device.index();
    }

    long reservedBytes() {
        return reservedBytes;
    }

    /** A view of {@code [offset, offset + length)}, allocating the bytes if needed. */
    synchronized MemorySegment view(long offset, long length) {
        return materialized().asSlice(offset, length);
    }

    /** Device to host: zeros if the buffer was never written. */
    synchronized void read(long offset, MemorySegment host) {
        if (bytes == null) {
            checkLive();
            host.fill((byte) 0);
        } else {
            host.copyFrom(materialized().asSlice(offset, host.byteSize()));
        }
    }

    synchronized void write(long offset, MemorySegment host) {
        materialized().asSlice(offset, host.byteSize()).copyFrom(host);
    }

    synchronized void fill(long offset, long length, byte value) {
        if (bytes == null && value == 0) {
            checkLive();
            return;
        }
        materialized().asSlice(offset, length).fill(value);
    }

    /** Device to device; {@code MemorySegment.copy} handles overlapping ranges of one buffer. */
    static void copy(SimBuffer src, long srcOffset, SimBuffer dst, long dstOffset, long length) {
        // Lock in address order so two opposite copies cannot deadlock.
        SimBuffer first = src.address() <= dst.address() ? src : dst;
        SimBuffer second = first == src ? dst : src;
        synchronized (first) {
            synchronized (second) {
                if (src.bytes == null) {
                    dst.fill(dstOffset, length, (byte) 0);
                    src.checkLive();
                } else {
                    MemorySegment.copy(src.materialized(), srcOffset, dst.materialized(), dstOffset, length);
                }
            }
        }
    }

    private MemorySegment materialized() {
        checkLive();
        if (bytes == null) {
            arena = Arena.ofShared();
            bytes = arena.allocate(byteSize(), AddressSpace.ALIGNMENT);
        }
        return bytes;
    }

    /** Commands run after submission: a buffer freed in between is an illegal address, as on a GPU. */
    private void checkLive() {
        if (!isOpen()) {
            throw HipException.of(HipError.ILLEGAL_ADDRESS, "access to freed device buffer " + this);
        }
    }

    /** Waits as a device-wide call ({@link SimDevice}), then frees. */
    @Override
    protected void free() {
        device.afterHostWaits("hipFree", () -> {
            space.release(this);
            synchronized (this) {
                if (arena != null) {
                    arena.close();
                    arena = null;
                    bytes = null;
                }
            }
        });
    }
}
