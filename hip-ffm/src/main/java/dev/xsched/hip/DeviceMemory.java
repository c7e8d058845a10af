package dev.xsched.hip;

import dev.xsched.hip.internal.DeviceRange;

/**
 * A range of device memory: a whole {@link DeviceBuffer} or a {@link #slice} of one. Copies and
 * kernel arguments take a {@code DeviceMemory}, so they can address part of a buffer; every range
 * is bounds-checked when it is made.
 */
public interface DeviceMemory {
    /** The device address of the first byte. */
    long address();

    /** The length in bytes. */
    long byteSize();

    /** The buffer this range belongs to (the buffer itself for a whole buffer). */
    DeviceBuffer buffer();

    /** Whether the underlying buffer is still allocated. */
    boolean isOpen();

    /**
     * The sub-range {@code [offset, offset + length)} of this range.
     *
     * @throws IndexOutOfBoundsException if it does not lie inside this range
     */
    default DeviceMemory slice(long offset, long length) {
        return DeviceRange.sliceOf(this, offset, length);
    }

    /** The sub-range from {@code offset} to the end. */
    default DeviceMemory slice(long offset) {
        return slice(offset, byteSize() - offset);
    }
}
