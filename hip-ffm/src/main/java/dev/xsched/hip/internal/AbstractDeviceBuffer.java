package dev.xsched.hip.internal;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;

/**
 * What every platform's device buffer shares: the address range, slicing, and a close that frees
 * exactly once ({@link #free()}), between the device's listeners of device-wide calls (a free waits
 * for everything on the device).
 */
public abstract class AbstractDeviceBuffer extends OwnedResource implements DeviceBuffer {
    private final Device device;
    private final DeviceWideCalls deviceWideCalls;
    private final long address;
    private final long byteSize;

    protected AbstractDeviceBuffer(Device device, DeviceWideCalls deviceWideCalls, long address, long byteSize) {
        super("device buffer");
        this.device = device;
        this.deviceWideCalls = deviceWideCalls;
        this.address = address;
        this.byteSize = byteSize;
    }

    /** Returns the memory to the platform; called once, by the first {@link #close()}. */
    protected abstract void free();

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
            deviceWideCalls.run(this::free);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[0x" + Long.toHexString(address) + ", " + byteSize + " bytes"
                + (isOpen() ? "" : ", closed") + "]";
    }
}
