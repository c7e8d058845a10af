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
     * {@code event}, which must be an open event of {@code device}'s platform (events of another
     * device of the same platform are accepted, as the drivers do); the caller holds it open with
     * {@link #enterUse()} around the native call that passes {@link #handle()}.
     */
    static AbstractNativeEvent checked(Event event, AbstractNativeDevice device) {
        if (!(event instanceof AbstractNativeEvent nativeEvent) || nativeEvent.device.platform() != device.platform()) {
            throw new IllegalArgumentException("event " + event + " does not belong to the " + device.platformLabel()
                    + " platform");
        }
        nativeEvent.ensureOpen();
        return nativeEvent;
    }

    /** The native event, for a call made inside a use. */
    final MemorySegment handle() {
        return handle;
    }

    @Override
    public final MemorySegment nativeHandle() {
        ensureOpen();
        return handle;
    }

    @Override
    public final boolean isComplete() {
        enterUse();
        try {
            device.bindCallingThread();
            return queryComplete(handle);
        } finally {
            exitUse();
        }
    }

    /** Holds the event open while it waits: a close from another thread waits for the wait to end. */
    @Override
    public final void synchronize() {
        enterUse();
        try {
            device.bindCallingThread();
            issueSynchronize(handle);
        } finally {
            exitUse();
        }
    }

    @Override
    public final float elapsedMillis(Event start) {
        ensureOpen();
        if (flags.contains(EventFlag.DISABLE_TIMING)) {
            throw new IllegalStateException("event was created with DISABLE_TIMING");
        }
        AbstractNativeEvent startEvent = checked(start, device);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_FLOAT);
            enterUse();
            try {
                startEvent.enterUse();
                try {
                    device.bindCallingThread();
                    issueElapsedTime(out, startEvent.handle, handle);
                } finally {
                    startEvent.exitUse();
                }
            } finally {
                exitUse();
            }
            return out.get(JAVA_FLOAT, 0);
        }
    }

    /** Waits for the calls using the event on other threads (a synchronize, too), then destroys it. */
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
