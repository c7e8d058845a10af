package dev.xsched.hip.internal.sim;

import dev.xsched.hip.internal.AbstractPinnedBuffer;

/**
 * "Pinned" host memory: native memory of a shared arena, which closing the buffer closes, mapped
 * into the simulated device address space at a fake address of its own (as mapped
 * {@code hipHostMalloc} memory is), so simulated kernels and the engine reach it by that address.
 */
final class SimPinnedBuffer extends AbstractPinnedBuffer {
    private static final long PAGE = 4096;
    private final AddressSpace space;
    private final long mappedAddress;

    SimPinnedBuffer(AddressSpace space, long mappedAddress, long byteSize) {
        super(byteSize, PAGE, mappedAddress);
        this.space = space;
        this.mappedAddress = mappedAddress;
    }

    /** The device address, readable after close (for unmapping). */
    long mappedAddress() {
        return mappedAddress;
    }

    @Override
    protected void free() {
        space.unmapPinned(this);
    }
}
