package dev.xsched.hip.internal;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceAttribute;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceWideCallListener;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.Set;

/**
 * What the AMD and NVIDIA devices share: their identity, and the skeleton of every factory
 * method, which checks the caller's arguments before any native call (so both platforms reject
 * bad input with the same exception and message), makes the device current on the calling
 * thread, and only then lets the platform make its native calls. The calls that wait for everything
 * on the device run between its {@link DeviceWideCallListener}s ({@link #deviceWideCalls()}).
 */
public abstract class AbstractNativeDevice implements Device {
    private final HipPlatform platform;
    private final int index;
    private final String name;
    private final String architecture;
    private final PriorityRange priorityRange;
    private final DeviceWideCalls deviceWideCalls = new DeviceWideCalls();

    protected AbstractNativeDevice(HipPlatform platform, int index, String name, String architecture,
                                   PriorityRange priorityRange) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.index = index;
        this.name = Objects.requireNonNull(name, "name");
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        this.priorityRange = Objects.requireNonNull(priorityRange, "priorityRange");
    }

    /** Makes this device the calling thread's current one (cheap when it already is). */
    protected abstract void makeCurrent();

    /**
     * Prepares the calling thread for a command on one of this device's streams or events: what
     * the runtime needs current there (NVIDIA: the primary context; AMD: nothing, since HIP
     * streams and events carry their device). On the launch path: keep it cheap.
     */
    protected abstract void bindCallingThread();

    /** The platform's name in messages: {@code AMD}, {@code NVIDIA}. */
    protected abstract String platformLabel();

    /** The 16 bytes of the device's UUID, read from the runtime into {@code out}. */
    protected abstract void readUuid(java.lang.foreign.MemorySegment out);

    @Override
    public final java.util.UUID uuid() {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment bytes = arena.allocate(16);
            readUuid(bytes);
            java.nio.ByteBuffer b = bytes.asByteBuffer(); // big-endian: byte 0 is the most significant
            return new java.util.UUID(b.getLong(0), b.getLong(8));
        }
    }

    /** {@code attribute}'s value, read from the runtime. */
    protected abstract int readAttribute(DeviceAttribute attribute);

    /** A non-blocking stream at a priority inside the range; the device is current. */
    protected abstract Stream openStream(int priority);

    /**
     * A non-owning stream over {@code handle}, a checked real stream address, with the priority the
     * driver reports; the device is current.
     */
    protected abstract Stream adopt(MemorySegment handle);

    /** An event with these flags; the device is current. */
    protected abstract Event openEvent(Set<EventFlag> flags);

    /** {@code bytes} (> 0) of device memory; the device is current. */
    protected abstract DeviceBuffer allocateDevice(long bytes);

    /** {@code bytes} (> 0) of pinned, device-mapped host memory; the device is current. */
    protected abstract PinnedBuffer allocateHost(long bytes);

    /** Loads {@code code}; the device is current. */
    protected abstract HipModule load(CodeObject code);

    /** Waits until every stream of the device is idle; the device is current. */
    protected abstract void synchronizeCurrent();

    /**
     * The device's listeners of device-wide calls, which the platform's modules, buffers and
     * registrations run their unload, free or unregistration between.
     */
    public final DeviceWideCalls deviceWideCalls() {
        return deviceWideCalls;
    }

    /** Whether the platform can register host memory for its devices; false unless overridden. */
    protected boolean hostRegistrationSupported() {
        return false;
    }

    /**
     * Called only where {@link #hostRegistrationSupported()}: registers {@code memory} (checked:
     * native, alive, at least one aligned 32-bit word) for this device; the device is current.
     */
    protected RegisteredHostMemory register(MemorySegment memory) {
        throw new UnsupportedOperationException("no host memory registration on " + platformLabel());
    }

    @Override
    public final int index() {
        return index;
    }

    @Override
    public final HipPlatform platform() {
        return platform;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String architecture() {
        return architecture;
    }

    @Override
    public final PriorityRange streamPriorityRange() {
        return priorityRange;
    }

    @Override
    public final int attribute(DeviceAttribute attribute) {
        Objects.requireNonNull(attribute, "attribute");
        return readAttribute(attribute);
    }

    @Override
    public final Stream createStream(int priority) {
        if (!priorityRange.contains(priority)) {
            throw new IllegalArgumentException("stream priority " + priority + " is outside the device's range "
                    + priorityRange + " (lower number = higher priority)");
        }
        makeCurrent();
        return openStream(priority);
    }

    @Override
    public final Stream adoptStream(MemorySegment handle) {
        if (handle == null) {
            throw new IllegalArgumentException("stream handle is null; " + DEFAULT_STREAM_NOT_ADOPTABLE);
        }
        long address = handle.address();
        if (address == 0) {
            throw new IllegalArgumentException("stream handle is NULL, the default stream; " + DEFAULT_STREAM_NOT_ADOPTABLE);
        }
        if (address == 1 || address == 2) {
            throw new IllegalArgumentException("stream handle 0x" + address + " is a default-stream pseudo-handle ("
                    + (address == 1 ? "CU_STREAM_LEGACY" : "CU_STREAM_PER_THREAD / hipStreamPerThread") + "); "
                    + DEFAULT_STREAM_NOT_ADOPTABLE);
        }
        makeCurrent();
        return adopt(MemorySegment.ofAddress(address));
    }

    private static final String DEFAULT_STREAM_NOT_ADOPTABLE = "a default stream cannot be adopted: it synchronizes "
            + "implicitly with the device's other blocking streams and has no priority of its own, so work on it can be "
            + "neither ordered apart nor prioritised. Create a non-blocking stream for the other library instead";

    @Override
    public final Event createEvent(Set<EventFlag> flags) {
        Objects.requireNonNull(flags, "flags");
        makeCurrent();
        return openEvent(flags);
    }

    @Override
    public final DeviceBuffer allocate(long bytes) {
        CopyChecks.checkAllocationSize(bytes);
        makeCurrent();
        return allocateDevice(bytes);
    }

    @Override
    public final PinnedBuffer allocatePinned(long bytes) {
        CopyChecks.checkAllocationSize(bytes);
        makeCurrent();
        return allocateHost(bytes);
    }

    @Override
    public final boolean supportsHostRegistration() {
        return hostRegistrationSupported();
    }

    @Override
    public final RegisteredHostMemory registerHostMemory(MemorySegment memory) {
        Objects.requireNonNull(memory, "memory");
        if (!hostRegistrationSupported()) {
            return Device.super.registerHostMemory(memory); // throws, saying why
        }
        HostMemoryChecks.registration(memory);
        return deviceWideCalls.call(() -> {
            makeCurrent();
            return register(memory);
        });
    }

    @Override
    public final HipModule loadModule(CodeObject code) {
        Objects.requireNonNull(code, "code");
        return deviceWideCalls.call(() -> {
            makeCurrent();
            return load(code);
        });
    }

    @Override
    public final void synchronize() {
        deviceWideCalls.run(() -> {
            makeCurrent();
            synchronizeCurrent();
        });
    }

    @Override
    public final DeviceWideCallListener.Registration onDeviceWideCalls(DeviceWideCallListener listener) {
        return deviceWideCalls.add(listener);
    }
}
