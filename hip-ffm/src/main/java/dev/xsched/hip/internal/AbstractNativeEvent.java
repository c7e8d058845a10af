package dev.xsched.hip.internal;

import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/**
 * What the AMD and NVIDIA events share: the checks before every native call (open, of this
 * platform, timing enabled) and the thread preparation the platform needs; subclasses make only
 * the native calls, each checking its own return code.
 */
public abstract class AbstractNativeEvent extends OwnedResource implements Event {
    private final AbstractNativeDevice device;
    private final MemorySegment handle;
    private final Set<EventFlag> flags;

    protected AbstractNativeEvent(AbstractNativeDevice device, MemorySegment handle, Set<EventFlag> flags) {
        super("event");
        this.device = device;
        this.handle = handle;
        this.flags = Set.copyOf(flags);
    }

    /** {@code hipEventQuery} / {@code cuEventQuery}: true when complete, false when not ready. */
    protected abstract boolean queryComplete(MemorySegment event);

    protected abstract void issueSynchronize(MemorySegment event);

    /** Writes the milliseconds from {@code start} to {@code end} into {@code out} (a float). */
    protected abstract void issueElapsedTime(MemorySegment out, MemorySegment start, MemorySegment end);

    protected abstract void issueDestroy(MemorySegment event);

    /**
     * The native handle of {@code event}, which must be an open event of {@code device}'s platform
     * (events of another device of the same platform are accepted, as the drivers do).
     */
    static MemorySegment handleOf(Event event, AbstractNativeDevice device) {
        if (!(event instanceof AbstractNativeEvent nativeEvent) || nativeEvent.device.platform() != device.platform()) {
            throw new IllegalArgumentException("event " + event + " does not belong to the " + device.platformLabel()
                    + " platform");
        }
        nativeEvent.ensureOpen();
        return nativeEvent.handle;
    }

    @Override
    public final MemorySegment nativeHandle() {
        ensureOpen();
        return handle;
    }

    @Override
    public final boolean isComplete() {
        ensureOpen();
        device.bindCallingThread();
        return queryComplete(handle);
    }

    @Override
    public final void synchronize() {
        ensureOpen();
        device.bindCallingThread();
        issueSynchronize(handle);
    }

    @Override
    public final float elapsedMillis(Event start) {
        ensureOpen();
        if (flags.contains(EventFlag.DISABLE_TIMING)) {
            throw new IllegalStateException("event was created with DISABLE_TIMING");
        }
        MemorySegment startHandle = handleOf(start, device);
        device.bindCallingThread();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_FLOAT);
            issueElapsedTime(out, startHandle, handle);
            return out.get(JAVA_FLOAT, 0);
        }
    }

    @Override
    public final void close() {
        if (markClosed()) {
            device.bindCallingThread();
            issueDestroy(handle);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[device=" + device.index() + ", " + flags + "]";
    }
}
