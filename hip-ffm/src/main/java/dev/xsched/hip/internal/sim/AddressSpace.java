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
 * pinned host memory, and host memory registered with a device, are mapped into the same address
 * space, as on a GPU.
 *
 * <p>Addresses start at {@value #BASE_HEX} (far from anything a host pointer looks like), are
 * aligned to {@value #ALIGNMENT} bytes as {@code hipMalloc}'s are, and are never reused, so a stale
 * pointer into a freed buffer is an illegal address rather than someone else's data.
 */
public final class AddressSpace implements SimMemory {
    static final long BASE = 0x7f00_0000_0000L;
    static final String BASE_HEX = "0x7f00_0000_0000";
    static final long ALIGNMENT = 256;
    /** Where device addresses of mapped host memory (pinned or registered) start: never a device buffer's. */
    static final long PINNED_BASE = 0x6f00_0000_0000L;

    private final long capacityPerDevice;
    private final long[] usedPerDevice;
    private final TreeMap<Long, SimBuffer> live = new TreeMap<>();
    /** Mapped host memory by device address, in a range of its own below {@link #BASE}. */
    private final TreeMap<Long, HostMapping> mapped = new TreeMap<>();
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
    synchronized SimPinnedBuffer allocatePinned(SimDevice device, long bytes) {
        SimPinnedBuffer buffer = new SimPinnedBuffer(device, this, nextPinned, bytes);
        mapped.put(nextPinned, buffer);
        nextPinned += alignUp(Math.max(1, bytes));
        return buffer;
    }

    /**
     * The caller's host memory (checked: native, alive, an aligned word or more), mapped for
     * {@code device} as {@code cuMemHostRegister(DEVICEMAP)} maps it: the engine and kernel bodies
     * reach the caller's own bytes at the registration's device address. Memory that overlaps
     * memory already mapped (registered, or a pinned buffer's) is refused, as the drivers refuse it.
     */
    synchronized SimRegisteredMemory register(SimDevice device, MemorySegment memory) {
        long start = memory.address();
        long end = start + memory.byteSize();
        for (HostMapping other : mapped.values()) {
            if (start < other.hostAddress() + other.byteSize() && other.hostAddress() < end) {
                throw HipException.of(HipError.HOST_MEMORY_ALREADY_REGISTERED, "hipHostRegister(0x"
                        + Long.toHexString(start) + ", bytes=" + memory.byteSize() + ", Portable|Mapped): overlaps host memory"
                        + " already mapped at 0x" + Long.toHexString(other.hostAddress()) + " (" + other.byteSize() + " bytes)");
            }
        }
        SimRegisteredMemory registered = new SimRegisteredMemory(device, this, memory, nextPinned);
        mapped.put(nextPinned, registered);
        nextPinned += alignUp(memory.byteSize());
        return registered;
    }

    /** Ends a pinned buffer's or a registration's mapping; its device addresses are never reused. */
    synchronized void unmap(HostMapping mapping) {
        mapped.remove(mapping.mappedAddress());
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
        HostMapping host;
        synchronized (this) {
            buffer = holding(live, address, byteSize, SimBuffer::address, SimBuffer::byteSize);
            host = buffer != null ? null
                    : holding(mapped, address, byteSize, HostMapping::mappedAddress, HostMapping::byteSize);
        }
        if (buffer != null) {
            long offset = address - buffer.address();
            return buffer.view(offset, toEnd ? buffer.byteSize() - offset : byteSize);
        }
        if (host != null) {
            long offset = address - host.mappedAddress();
            // hostBytes() throws IllegalStateException if a pinned buffer was closed since the
            // look-up; asSlice keeps the scope of a registered segment, whose owner may end it (the
            // access then throws IllegalStateException too, never touches freed memory).
            return host.hostBytes().asSlice(offset, toEnd ? host.byteSize() - offset : byteSize);
        }
        throw HipException.of(HipError.ILLEGAL_ADDRESS, call + "(0x" + Long.toHexString(address) + ", " + byteSize
                + " bytes): not inside one live device buffer or mapped host memory (pinned or registered)");
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
