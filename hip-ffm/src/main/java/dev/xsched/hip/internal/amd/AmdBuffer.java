package dev.xsched.hip.internal.amd;

import dev.xsched.hip.internal.AbstractDeviceBuffer;

import java.lang.foreign.MemorySegment;

import static dev.xsched.hip.internal.panama.hip.HipBindings.hipFree;

/** Device memory from {@code hipMalloc}. */
final class AmdBuffer extends AbstractDeviceBuffer {
    AmdBuffer(AmdDevice device, long address, long byteSize) {
        super(device, device.deviceWideCalls(), address, byteSize);
    }

    @Override
    protected void free() {
        HipCalls.check(hipFree(MemorySegment.ofAddress(address())), "hipFree(bytes=" + byteSize() + ")");
    }
}
