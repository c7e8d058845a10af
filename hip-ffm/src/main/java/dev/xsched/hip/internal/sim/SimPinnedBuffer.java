package dev.xsched.hip.internal.sim;

import dev.xsched.hip.internal.AbstractPinnedBuffer;

/**
 * "Pinned" host memory: native memory of a shared arena, which closing the buffer closes, mapped
 * into the simulated device address space at a fake address of its own (as mapped
 * {@code hipHostMalloc} memory is), so simulated kernels and the engine reach it by that address.
 */
final class SimPinnedBuffer extends AbstractPinnedBuffer implements HostMapping {
    private static final long PAGE = 4096;
    private final AddressSpace space;
    private final long mappedAddress;
    private final long hostAddress;

    SimPinnedBuffer(AddressSpace space, long mappedAddress, long byteSize) {
        super(byteSize, PAGE, mappedAddress);
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
    protected void free() {
        space.unmap(this);
    }
}
