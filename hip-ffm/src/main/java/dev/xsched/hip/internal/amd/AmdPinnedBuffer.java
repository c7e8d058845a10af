package dev.xsched.hip.internal.amd;

import dev.xsched.hip.internal.AbstractPinnedBuffer;

import java.lang.foreign.MemorySegment;

import static dev.xsched.hip.internal.panama.hip.HipBindings.hipHostFree;

/** Page-locked host memory from {@code hipHostMalloc}, mapped into the device's address space. */
final class AmdPinnedBuffer extends AbstractPinnedBuffer {
    private final MemorySegment raw;

    AmdPinnedBuffer(AmdDevice device, MemorySegment raw, long byteSize, long deviceAddress) {
        super(device.deviceWideCalls(), raw, byteSize, deviceAddress);
        this.raw = raw;
    }

    @Override
    protected void free() {
        HipCalls.check(hipHostFree(raw), "hipHostFree(bytes=" + byteSize() + ")");
    }
}
