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
     * The host bytes.
     *
     * @throws IllegalStateException once the mapping was closed
     */
    MemorySegment segment();
}
