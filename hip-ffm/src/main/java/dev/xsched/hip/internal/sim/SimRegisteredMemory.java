package dev.xsched.hip.internal.sim;

import dev.xsched.hip.internal.AbstractRegisteredHostMemory;

import java.lang.foreign.MemorySegment;

/**
 * The caller's host memory, mapped into the simulated device address space at a fake address of
 * its own (as {@code cuMemHostRegister} with {@code DEVICEMAP} maps it), so the engine and kernel
 * bodies reach the caller's very bytes by that address. Closing removes the mapping; the memory
 * stays the caller's. Closing waits as a device-wide call ({@link SimDevice}).
 */
final class SimRegisteredMemory extends AbstractRegisteredHostMemory implements HostMapping {
    private final SimDevice device;
    private final AddressSpace space;
    private final MemorySegment memory;
    private final long mappedAddress;
    private final long hostAddress;

    SimRegisteredMemory(SimDevice device, AddressSpace space, MemorySegment memory, long mappedAddress) {
        super(device, device.deviceWideCalls(), memory, mappedAddress);
        this.device = device;
        this.space = space;
        this.memory = memory;
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

    /** The caller's bytes, also while the close waits to unmap them (not {@link #segment()}, which throws once closed). */
    @Override
    public MemorySegment hostBytes() {
        return memory;
    }

    @Override
    protected void unregister() {
        device.afterHostWaits("hipHostUnregister", () -> space.unmap(this));
    }
}
