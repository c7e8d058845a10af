package dev.xsched.hip.internal.sim;

import java.lang.foreign.MemorySegment;

/**
 * Host memory mapped into a simulated platform's device address space, as the drivers map pinned
 * and registered host memory: {@link AddressSpace} resolves device addresses in
 * {@code [mappedAddress, mappedAddress + byteSize)} to the host bytes.
 */
interface HostMapping {
    /** The device address of the first byte; readable after close (for unmapping). */
    long mappedAddress();

    /** The host address of the first byte; readable after close (for the overlap check of registrations). */
    long hostAddress();

    long byteSize();

    /**
     * The host bytes, for as long as they are mapped: a registration's close keeps them readable
     * until it unmaps them (it first waits as a device-wide call, and a wait on them must see their
     * stores meanwhile), while a pinned buffer's memory is gone once its close began.
     *
     * @throws IllegalStateException once the memory was freed (a pinned buffer closed) or its
     *                               owner ended its scope
     */
    MemorySegment hostBytes();
}
