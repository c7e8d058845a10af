package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.internal.AbstractDeviceBuffer;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.cuMemFree_v2;

/** Device memory from {@code cuMemAlloc}; a {@code CUdeviceptr} is a plain 64-bit address. */
final class NvidiaBuffer extends AbstractDeviceBuffer {
    private final NvidiaDevice device;

    NvidiaBuffer(NvidiaDevice device, long address, long byteSize) {
        super(device, device.deviceWideCalls(), address, byteSize);
        this.device = device;
    }

    @Override
    protected void free() {
        device.makeCurrent();
        CudaCalls.check(cuMemFree_v2(address()), "cuMemFree(bytes=" + byteSize() + ")");
    }
}
