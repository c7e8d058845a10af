package dev.xsched.hip.sim;

import dev.xsched.hip.DeviceMemory;

import java.lang.foreign.MemorySegment;

/**
 * Direct access to a simulated platform's device memory, for kernel bodies ({@link SimKernelBody})
 * and for tests that inspect memory without a copy. The segments returned are views of the
 * buffers' backing memory: writes are seen by later copies and kernels, and a view stops working
 * (with {@link IllegalStateException}) when its buffer is closed.
 *
 * <p>Backing memory is allocated on first access and starts zeroed; a buffer that is only used for
 * timing never costs host memory. Pinned buffers of the platform are mapped too: an address from
 * {@link dev.xsched.hip.PinnedBuffer#deviceAddress()} resolves to the pinned buffer's own bytes.
 */
public interface SimMemory {
    /**
     * The bytes {@code [address, address + byteSize)}, which must lie inside one live buffer (device
     * or mapped pinned).
     *
     * @throws dev.xsched.hip.HipException with {@link dev.xsched.hip.HipError#ILLEGAL_ADDRESS} if they
     *                                     do not
     * @throws IllegalArgumentException    if {@code byteSize} is negative
     */
    MemorySegment segment(long address, long byteSize);

    /**
     * The bytes from {@code address} to the end of the live buffer holding it: for kernel bodies,
     * which get bare pointers.
     *
     * @throws dev.xsched.hip.HipException with {@link dev.xsched.hip.HipError#ILLEGAL_ADDRESS} if no
     *                                     live buffer holds it
     */
    MemorySegment segmentAt(long address);

    /** The bytes of a buffer or slice of this platform. */
    default MemorySegment segment(DeviceMemory memory) {
        return segment(memory.address(), memory.byteSize());
    }
}
