package dev.xsched.hip.internal.amd;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.internal.DeviceRange;
import dev.xsched.hip.internal.OwnedResource;

import java.lang.foreign.MemorySegment;

import static dev.xsched.hip.internal.panama.hip.HipBindings.hipFree;

final class AmdBuffer extends OwnedResource implements DeviceBuffer {
    private final AmdDevice device;
    private final long address;
    private final long byteSize;

    AmdBuffer(AmdDevice device, long address, long byteSize) {
        super("device buffer");
        this.device = device;
        this.address = address;
        this.byteSize = byteSize;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public long address() {
        return address;
    }

    @Override
    public long byteSize() {
        return byteSize;
    }

    @Override
    public DeviceBuffer buffer() {
        return this;
    }

    @Override
    public DeviceMemory slice(long offset, long length) {
        ensureOpen();
        return DeviceRange.sliceOf(this, offset, length);
    }

    @Override
    public void close() {
        if (markClosed()) {
            HipCalls.check(hipFree(MemorySegment.ofAddress(address)), "hipFree(bytes=" + byteSize + ")");
        }
    }

    @Override
    public String toString() {
        return "AmdBuffer[0x" + Long.toHexString(address) + ", " + byteSize + " bytes" + (isOpen() ? "" : ", closed") + "]";
    }
}
