package dev.xsched.hip.internal.sim;

import dev.xsched.hip.internal.AbstractRegisteredHostMemory;

import java.lang.foreign.MemorySegment;

/**
 * The caller's host memory, mapped into the simulated device address space at a fake address of
 * its own (as {@code cuMemHostRegister} with {@code DEVICEMAP} maps it), so the engine and kernel
 * bodies reach the caller's very bytes by that address. Closing removes the mapping; the memory
 * stays the caller's.
 */
final class SimRegisteredMemory extends AbstractRegisteredHostMemory implements HostMapping {
    private final AddressSpace space;
    private final long mappedAddress;
    private final long hostAddress;

    SimRegisteredMemory(SimDevice device, AddressSpace space, MemorySegment memory, long mappedAddress) {
        super(device, memory, mappedAddress);
        this.space = space;
        this.mappedAddress = mappedAddress;
        this.hostAddress = memory.address();
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
    protected void unregister() {
        space.unmap(this);
    }
}
