package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.internal.AbstractPinnedBuffer;

import java.lang.foreign.MemorySegment;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.cuMemFreeHost;

/** Page-locked host memory from {@code cuMemHostAlloc}. */
final class NvidiaPinnedBuffer extends AbstractPinnedBuffer {
    private final NvidiaDevice device;
    private final MemorySegment raw;

    NvidiaPinnedBuffer(NvidiaDevice device, MemorySegment raw, long byteSize) {
        super(raw, byteSize);
        this.device = device;
        this.raw = raw;
    }

    @Override
    protected void free() {
        device.makeCurrent();
        CudaCalls.check(cuMemFreeHost(raw), "cuMemFreeHost(bytes=" + byteSize() + ")");
    }
}
