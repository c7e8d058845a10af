package dev.xsched.hip.internal.amd;

import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.internal.OwnedResource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;

import static dev.xsched.hip.internal.panama.hip.HipBindings.*;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

final class AmdEvent extends OwnedResource implements Event {
    private final AmdDevice device;
    private final MemorySegment handle;
    private final Set<EventFlag> flags;

    AmdEvent(AmdDevice device, MemorySegment handle, Set<EventFlag> flags) {
        super("event");
        this.device = device;
        this.handle = handle;
        this.flags = Set.copyOf(flags);
    }

    /** The native handle of an open AMD event; rejects events of other platforms. */
    static MemorySegment handleOf(Event event) {
        if (!(event instanceof AmdEvent amd)) {
            throw new IllegalArgumentException("event " + event + " does not belong to the AMD platform");
        }
        amd.ensureOpen();
        return amd.handle;
    }

    @Override
    public MemorySegment nativeHandle() {
        ensureOpen();
        return handle;
    }

    @Override
    public boolean isComplete() {
        ensureOpen();
        int rc = hipEventQuery(handle);
        if (rc == HipCalls.NOT_READY) {
            return false;
        }
        HipCalls.check(rc, "hipEventQuery");
        return true;
    }

    @Override
    public void synchronize() {
        ensureOpen();
        HipCalls.check(hipEventSynchronize(handle), "hipEventSynchronize");
    }

    @Override
    public float elapsedMillis(Event start) {
        ensureOpen();
        if (flags.contains(EventFlag.DISABLE_TIMING)) {
            throw new IllegalStateException("event was created with DISABLE_TIMING");
        }
        MemorySegment startHandle = handleOf(start);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_FLOAT);
            HipCalls.check(hipEventElapsedTime(out, startHandle, handle), "hipEventElapsedTime");
            return out.get(JAVA_FLOAT, 0);
        }
    }

    @Override
    public void close() {
        if (markClosed()) {
            HipCalls.check(hipEventDestroy(handle), "hipEventDestroy");
        }
    }

    @Override
    public String toString() {
        return "AmdEvent[device=" + device.index() + ", " + flags + "]";
    }
}
