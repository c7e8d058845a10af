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
 * {@link dev.xsched.hip.PinnedBuffer#deviceAddress()} resolves to the pinned buffer's own bytes,
 * and one from {@link dev.xsched.hip.RegisteredHostMemory#deviceAddress()} to the registered
 * segment's (until the registration is closed).
 */
public interface SimMemory {
    /**
     * The bytes {@code [address, address + byteSize)}, which must lie inside one live buffer (device
     * or mapped pinned) or registered host memory.
     *
     * @param address  the first byte's device address
     * @param byteSize the number of bytes, {@code >= 0}
     * @return a view of the buffer's backing memory
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
     * @param address a device address inside a live buffer ({@link dev.xsched.hip.KernelArgs#bits}
     *                of a pointer argument)
     * @return a view of the rest of that buffer
     *
     * @throws dev.xsched.hip.HipException with {@link dev.xsched.hip.HipError#ILLEGAL_ADDRESS} if no
     *                                     live buffer holds it
     */
    MemorySegment segmentAt(long address);

    /**
     * The bytes of a buffer or slice of this platform.
     *
     * @param memory a live buffer or slice of this platform (the address of another platform's
     *               buffer may resolve to one of this platform's: platforms do not know each other)
     * @return a view of its backing memory, {@code memory.byteSize()} bytes
     * @throws dev.xsched.hip.HipException with {@link dev.xsched.hip.HipError#ILLEGAL_ADDRESS} if
     *                                     the buffer is closed
     */
    default MemorySegment segment(DeviceMemory memory) {
        return segment(memory.address(), memory.byteSize());
    }
}
