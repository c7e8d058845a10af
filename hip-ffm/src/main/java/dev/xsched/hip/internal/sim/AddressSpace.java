package dev.xsched.hip.internal.sim;

import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.sim.SimMemory;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;

/**
 * The device memory of one simulated platform: hands out fake device addresses, accounts for each
 * device's capacity, and resolves addresses back to buffers for kernel bodies.
 *
 * <p>Addresses start at {@value #BASE_HEX} (far from anything a host pointer looks like), are
 * aligned to {@value #ALIGNMENT} bytes as {@code hipMalloc}'s are, and are never reused, so a stale
 * pointer into a freed buffer is an illegal address rather than someone else's data.
 */
public final class AddressSpace implements SimMemory {
    static final long BASE = 0x7f00_0000_0000L;
    static final String BASE_HEX = "0x7f00_0000_0000";
    static final long ALIGNMENT = 256;

    private final long capacityPerDevice;
    private final long[] usedPerDevice;
    private final TreeMap<Long, SimBuffer> live = new TreeMap<>();
    private long next = BASE;

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

    /** Bytes allocated on a device (rounded up to the alignment). */
    public synchronized long usedBytes(int device) {
        return usedPerDevice[device];
    }

    private static long alignUp(long bytes) {
        return (bytes + ALIGNMENT - 1) & -ALIGNMENT;
    }

    @Override
    public MemorySegment segment(long address, long byteSize) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must be >= 0, got " + byteSize);
        }
        SimBuffer buffer = bufferHolding(address, byteSize, "SimMemory.segment");
        return buffer.view(address - buffer.address(), byteSize);
    }

    @Override
    public MemorySegment segmentAt(long address) {
        SimBuffer buffer = bufferHolding(address, 1, "SimMemory.segmentAt");
        long offset = address - buffer.address();
        return buffer.view(offset, buffer.byteSize() - offset);
    }

    private synchronized SimBuffer bufferHolding(long address, long byteSize, String call) {
        Map.Entry<Long, SimBuffer> candidate = live.floorEntry(address);
        if (candidate != null) {
            SimBuffer buffer = candidate.getValue();
            long offset = address - buffer.address();
            if (offset < buffer.byteSize() && byteSize <= buffer.byteSize() - offset) {
                return buffer;
            }
        }
        throw HipException.of(HipError.ILLEGAL_ADDRESS, call + "(0x" + Long.toHexString(address) + ", " + byteSize
                + " bytes): not inside one live device buffer");
    }
}
