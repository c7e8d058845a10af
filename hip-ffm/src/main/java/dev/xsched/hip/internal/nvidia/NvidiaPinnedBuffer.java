package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.internal.AbstractPinnedBuffer;

import java.lang.foreign.MemorySegment;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.cuMemFreeHost;

/** Page-locked host memory from {@code cuMemHostAlloc}, mapped into the device's address space. */
final class NvidiaPinnedBuffer extends AbstractPinnedBuffer {
    private final NvidiaDevice device;
    private final MemorySegment raw;

    NvidiaPinnedBuffer(NvidiaDevice device, MemorySegment raw, long byteSize, long deviceAddress) {
        super(device.deviceWideCalls(), raw, byteSize, deviceAddress);
        this.device = device;
        this.raw = raw;
    }

    @Override
    protected void free() {
        device.makeCurrent();
        CudaCalls.check(cuMemFreeHost(raw), "cuMemFreeHost(bytes=" + byteSize() + ")");
    }
}
