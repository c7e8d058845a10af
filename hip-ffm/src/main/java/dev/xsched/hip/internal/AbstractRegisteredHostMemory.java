package dev.xsched.hip.internal;

import dev.xsched.hip.Device;
import dev.xsched.hip.RegisteredHostMemory;

import java.lang.foreign.MemorySegment;

/**
 * What every platform's registration of host memory shares: the caller's segment, the device it was
 * registered for, the address at which that device reaches it, and a close that unregisters
 * exactly once ({@link #unregister()}), between the device's listeners of device-wide calls. A native call that passes the device address (a stream's
 * wait on a word of it) holds the registration open ({@link OwnedResource}), so a close on another
 * thread unregisters only after that call returned.
 *
 * <p>The memory stays its owner's: nothing here frees it, and the segment is handed back as it was
 * given, with the caller's scope.
 */
public abstract class AbstractRegisteredHostMemory extends OwnedResource implements RegisteredHostMemory {
    private final Device device;
    private final DeviceWideCalls deviceWideCalls;
    private final MemorySegment segment;
    private final long deviceAddress;

    /** Wraps {@code segment}, already registered for {@code device}, which reaches it at {@code deviceAddress}. */
    protected AbstractRegisteredHostMemory(Device device, DeviceWideCalls deviceWideCalls, MemorySegment segment,
                                           long deviceAddress) {
        super("registered host memory");
        this.device = device;
        this.deviceWideCalls = deviceWideCalls;
        this.segment = segment;
        this.deviceAddress = deviceAddress;
    }

    /** Ends the platform's registration; called once, by the first {@link #close()}. */
    protected abstract void unregister();

    /**
     * The registered range's first byte as a bare pointer, for {@link #unregister()}: it stays
     * usable after close, and after the owner has ended the segment's scope against the contract
     * (the registration is then still ended in the driver, rather than leaked with the pages
     * pinned).
     */
    protected final MemorySegment hostPointer() {
        return MemorySegment.ofAddress(segment.address());
    }

    @Override
    public final Device device() {
        return device;
    }

    @Override
    public final MemorySegment segment() {
        ensureOpen();
        return segment;
    }

    @Override
    public final long byteSize() {
        return segment.byteSize();
    }

    @Override
    public final long deviceAddress() {
        ensureOpen();
        return deviceAddress;
    }

    /**
     * Marks the registration closed, waits for native calls that hold it, then unregisters,
     * between the device's listeners of device-wide calls (an unregistration waits for everything
     * on the device). A failed unregistration is thrown once; the registration counts as closed
     * either way.
     */
    @Override
    public final void close() {
        if (markClosed()) {
            deviceWideCalls.run(this::unregister);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[0x" + Long.toHexString(segment.address()) + ", " + segment.byteSize()
                + " bytes, device " + device.index() + (isOpen() ? "" : ", closed") + "]";
    }
}
