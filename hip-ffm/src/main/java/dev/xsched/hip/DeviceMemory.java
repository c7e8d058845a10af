package dev.xsched.hip;

import dev.xsched.hip.internal.DeviceRange;

/**
 * A range of device memory: a whole {@link DeviceBuffer} or a {@link #slice} of one. Copies and
 * kernel arguments take a {@code DeviceMemory}, so they can address part of a buffer; every range
 * is bounds-checked when it is made. A slice does not own memory: it is valid while its buffer is
 * open. Immutable.
 */
public interface DeviceMemory {
    /**
     * The device address of the first byte, as kernels see it (a {@code T*} argument).
     *
     * @return the address; on the simulated platform a unique fake address, 256-byte aligned for
     *         a whole buffer
     */
    long address();

    /**
     * The length.
     *
     * @return the length in bytes, at least 0
     */
    long byteSize();

    /**
     * The buffer this range belongs to, which owns the memory.
     *
     * @return the buffer itself for a whole buffer
     */
    DeviceBuffer buffer();

    /**
     * Whether the underlying buffer is still allocated.
     *
     * @return false once {@link #buffer()} was closed
     */
    boolean isOpen();

    /**
     * The sub-range {@code [offset, offset + length)} of this range.
     *
     * @param offset the first byte, relative to this range's start, {@code >= 0}
     * @param length the length in bytes, {@code >= 0}
     * @return a view of the same buffer; no memory is allocated
     * @throws IndexOutOfBoundsException if it does not lie inside this range
     * @throws IllegalStateException     if this is a whole buffer and it is closed (a slice of a
     *                                   closed buffer is made, and rejected where it is used)
     */
    default DeviceMemory slice(long offset, long length) {
        return DeviceRange.sliceOf(this, offset, length);
    }

    /**
     * The sub-range from {@code offset} to the end.
     *
     * @param offset the first byte, relative to this range's start, {@code 0 <= offset <= byteSize()}
     * @return a view of the same buffer
     * @throws IndexOutOfBoundsException if {@code offset} lies outside this range
     */
    default DeviceMemory slice(long offset) {
        return slice(offset, byteSize() - offset);
    }
}
