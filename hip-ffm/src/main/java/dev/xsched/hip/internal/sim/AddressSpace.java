package dev.xsched.hip.internal.sim;

import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.sim.SimMemory;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The device memory of one simulated platform: hands out fake device addresses, accounts for each
 * device's capacity, and resolves addresses back to buffers for kernel bodies and the engine;
 * pinned host memory is mapped into the same address space, as on a GPU.
 *
 * <p>Addresses start at {@value #BASE_HEX} (far from anything a host pointer looks like), are
 * aligned to {@value #ALIGNMENT} bytes as {@code hipMalloc}'s are, and are never reused, so a stale
 * pointer into a freed buffer is an illegal address rather than someone else's data.
 */
public final class AddressSpace implements SimMemory {
    static final long BASE = 0x7f00_0000_0000L;
    static final String BASE_HEX = "0x7f00_0000_0000";
    static final long ALIGNMENT = 256;
    /** Where device addresses of mapped pinned memory start: never a device buffer's. */
    static final long PINNED_BASE = 0x6f00_0000_0000L;

    private final long capacityPerDevice;
    private final long[] usedPerDevice;
    private final TreeMap<Long, SimBuffer> live = new TreeMap<>();
    /** Mapped pinned buffers by device address, in a range of their own below {@link #BASE}. */
    private final TreeMap<Long, SimPinnedBuffer> pinned = new TreeMap<>();
    private long next = BASE;
    private long nextPinned = PINNED_BASE;

    public AddressSpace(int devices, long capacityPerDevice) {
        this.capacityPerDevice = capacityPerDevice;
        this.usedPerDevice = new long[devices];
    }

    synchronized SimBuffer allocate(SimDevice device, long bytes) {
        long free = capacityPerDevice - usedPerDevice[device.index()];
        if (bytes > free) {
            throw HipException.of(HipError.OUT_OF_MEMORY, "hipMalloc(bytes=" + bytes + ") on simulated device "
                    + device.index() + " with " + free + " of " + capacityPerDevice + " bytes free");
        }
        long reserved = Math.min(free, alignUp(bytes));
        SimBuffer buffer = new SimBuffer(device, this, next, bytes, reserved);
        live.put(buffer.address(), buffer);
        usedPerDevice[device.index()] += reserved;
        next += alignUp(bytes);
        return buffer;
    }

    synchronized void release(SimBuffer buffer) {
        if (live.remove(buffer.address()) != null) {
            usedPerDevice[buffer.deviceIndex()] -= buffer.reservedBytes();
        }
    }

    private static long alignUp(long bytes) {
        return (bytes + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * Pinned host memory, mapped into the device address space as {@code hipHostMalloc(Mapped)}
     * maps it: kernels reach it at its {@linkplain SimPinnedBuffer#deviceAddress() device address}.
     */
    synchronized SimPinnedBuffer allocatePinned(long bytes) {
        SimPinnedBuffer buffer = new SimPinnedBuffer(this, nextPinned, bytes);
        pinned.put(nextPinned, buffer);
        nextPinned += alignUp(Math.max(1, bytes));
        return buffer;
    }

    synchronized void unmapPinned(SimPinnedBuffer buffer) {
        pinned.remove(buffer.mappedAddress());
    }

    @Override
    public MemorySegment segment(long address, long byteSize) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must be >= 0, got " + byteSize);
        }
        return viewAt(address, byteSize, false, "SimMemory.segment");
    }

    @Override
    public MemorySegment segmentAt(long address) {
        return viewAt(address, 1, true, "SimMemory.segmentAt");
    }

    /** {@code byteSize} bytes at {@code address}, or every byte from it to its buffer's end when {@code toEnd}. */
    private MemorySegment viewAt(long address, long byteSize, boolean toEnd, String call) {
        SimBuffer buffer;
        SimPinnedBuffer mapped;
        synchronized (this) {
            buffer = holding(live, address, byteSize, SimBuffer::address, SimBuffer::byteSize);
            mapped = buffer != null ? null
                    : holding(pinned, address, byteSize, SimPinnedBuffer::mappedAddress, SimPinnedBuffer::byteSize);
        }
        if (buffer != null) {
            long offset = address - buffer.address();
            return buffer.view(offset, toEnd ? buffer.byteSize() - offset : byteSize);
        }
        if (mapped != null) {
            long offset = address - mapped.mappedAddress();
            // segment() throws IllegalStateException if the buffer was closed since the look-up.
            return mapped.segment().asSlice(offset, toEnd ? mapped.byteSize() - offset : byteSize);
        }
        throw HipException.of(HipError.ILLEGAL_ADDRESS, call + "(0x" + Long.toHexString(address) + ", " + byteSize
                + " bytes): not inside one live device buffer or mapped pinned buffer");
    }

    private static <B> B holding(TreeMap<Long, B> map, long address, long byteSize, ToLongFunction<B> start,
                                 ToLongFunction<B> size) {
        Map.Entry<Long, B> candidate = map.floorEntry(address);
        if (candidate != null) {
            B buffer = candidate.getValue();
            long offset = address - start.applyAsLong(buffer);
            if (offset < size.applyAsLong(buffer) && byteSize <= size.applyAsLong(buffer) - offset) {
                return buffer;
            }
        }
        return null;
    }
}
