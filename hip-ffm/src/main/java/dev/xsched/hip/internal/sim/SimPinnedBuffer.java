package dev.xsched.hip.internal.sim;

import dev.xsched.hip.internal.AbstractPinnedBuffer;

import java.lang.foreign.MemorySegment;

/**
 * "Pinned" host memory: native memory of a shared arena, which closing the buffer closes, mapped
 * into the simulated device address space at a fake address of its own (as mapped
 * {@code hipHostMalloc} memory is), so simulated kernels and the engine reach it by that address.
 * Its free waits as a device-wide call of the allocating device ({@link SimDevice}).
 */
final class SimPinnedBuffer extends AbstractPinnedBuffer implements HostMapping {
    private static final long PAGE = 4096;
    private final SimDevice device;
    private final AddressSpace space;
    private final long mappedAddress;
    private final long hostAddress;

    SimPinnedBuffer(SimDevice device, AddressSpace space, long mappedAddress, long byteSize) {
        super(device.deviceWideCalls(), byteSize, PAGE, mappedAddress);
        this.device = device;
        this.space = space;
        this.mappedAddress = mappedAddress;
        this.hostAddress = segment().address();
    }

    @Override
    public long mappedAddress() {
        return mappedAddress;
    }

    @Override
    public long hostAddress() {
        return hostAddress;
    }

    @Override
    public MemorySegment hostBytes() {
        return segment();
    }

    @Override
    protected void free() {
        device.afterHostWaits("hipHostFree", () -> space.unmap(this));
    }
}
