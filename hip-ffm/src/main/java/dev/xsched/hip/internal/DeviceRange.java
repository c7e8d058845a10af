package dev.xsched.hip.internal;

import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;

import java.util.Objects;

/** A bounds-checked slice of a {@link DeviceBuffer}. */
public record DeviceRange(DeviceBuffer owner, long address, long byteSize) implements DeviceMemory {
    public DeviceRange {
        Objects.requireNonNull(owner, "owner");
    }

    @Override
    public boolean isOpen() {
        return owner.isOpen();
    }

    @Override
    public DeviceBuffer buffer() {
        return owner;
    }

    /** The checked slice {@code [offset, offset + length)} of {@code memory}. */
    public static DeviceMemory sliceOf(DeviceMemory memory, long offset, long length) {
        Objects.checkFromIndexSize(offset, length, memory.byteSize());
        return new DeviceRange(memory.buffer(), memory.address() + offset, length);
    }

    @Override
    public String toString() {
        return "DeviceRange[0x" + Long.toHexString(address) + ", " + byteSize + " bytes of " + owner + "]";
    }
}
