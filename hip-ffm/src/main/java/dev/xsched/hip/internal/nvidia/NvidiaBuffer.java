package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.internal.DeviceRange;
import dev.xsched.hip.internal.OwnedResource;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.cuMemFree_v2;

/** Device memory from {@code cuMemAlloc}; a {@code CUdeviceptr} is a plain 64-bit address. */
final class NvidiaBuffer extends OwnedResource implements DeviceBuffer {
    private final NvidiaDevice device;
    private final long address;
    private final long byteSize;

    NvidiaBuffer(NvidiaDevice device, long address, long byteSize) {
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
            device.makeCurrent();
            CudaCalls.check(cuMemFree_v2(address), "cuMemFree(bytes=" + byteSize + ")");
        }
    }

    @Override
    public String toString() {
        return "NvidiaBuffer[0x" + Long.toHexString(address) + ", " + byteSize + " bytes" + (isOpen() ? "" : ", closed") + "]";
    }
}
