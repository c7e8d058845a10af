package dev.xsched.examples.bench;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceAttribute;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceWideCallListener;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.KernelCompiler;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;

import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.UUID;

/**
 * The device of a {@link TimingStream}: its events are {@link TimingEvent}s, so that an XQueue's
 * sync points (made through its stream's device) say when they were seen complete, and its
 * streams are timing streams too, which hand a native stream the events they wrap (the queue's
 * blocking waits make streams of their own that wait for its sync points). Everything else goes to
 * the device it wraps. Not the same object as that device: code that compares devices by identity
 * ({@code XScheduler.synchronize(Device)}) does not find a queue over a timing stream.
 */
final class TimingDevice implements Device {
    private final Device delegate;

    TimingDevice(Device delegate) {
        this.delegate = delegate;
    }

    @Override
    public Event createEvent(Set<EventFlag> flags) {
        return new TimingEvent(delegate.createEvent(flags));
    }

    @Override
    public Stream createStream(int priority) {
        return new TimingStream(delegate.createStream(priority), this);
    }

    @Override
    public Stream adoptStream(MemorySegment handle) {
        return new TimingStream(delegate.adoptStream(handle), this);
    }

    @Override
    public int index() {
        return delegate.index();
    }

    @Override
    public HipPlatform platform() {
        return delegate.platform();
    }

    @Override
    public UUID uuid() {
        return delegate.uuid();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String architecture() {
        return delegate.architecture();
    }

    @Override
    public int attribute(DeviceAttribute attribute) {
        return delegate.attribute(attribute);
    }

    @Override
    public long totalMemory() {
        return delegate.totalMemory();
    }

    @Override
    public PriorityRange streamPriorityRange() {
        return delegate.streamPriorityRange();
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        return delegate.allocate(bytes);
    }

    @Override
    public PinnedBuffer allocatePinned(long bytes) {
        return delegate.allocatePinned(bytes);
    }

    @Override
    public boolean supportsHostRegistration() {
        return delegate.supportsHostRegistration();
    }

    @Override
    public RegisteredHostMemory registerHostMemory(MemorySegment memory) {
        return delegate.registerHostMemory(memory);
    }

    @Override
    public HipModule loadModule(CodeObject code) {
        return delegate.loadModule(code);
    }

    @Override
    public KernelCompiler compiler() {
        return delegate.compiler();
    }

    @Override
    public void synchronize() {
        delegate.synchronize();
    }

    @Override
    public DeviceWideCallListener.Registration onDeviceWideCalls(DeviceWideCallListener listener) {
        return delegate.onDeviceWideCalls(listener);
    }

    @Override
    public String toString() {
        return "timing " + delegate;
    }
}
