package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.internal.OwnedResource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.*;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

final class NvidiaEvent extends OwnedResource implements Event {
    private final NvidiaDevice device;
    private final MemorySegment handle;
    private final Set<EventFlag> flags;

    NvidiaEvent(NvidiaDevice device, MemorySegment handle, Set<EventFlag> flags) {
        super("event");
        this.device = device;
        this.handle = handle;
        this.flags = Set.copyOf(flags);
    }

    /** The native handle of an open NVIDIA event; rejects events of other platforms. */
    static MemorySegment handleOf(Event event) {
        if (!(event instanceof NvidiaEvent nvidia)) {
            throw new IllegalArgumentException("event " + event + " does not belong to the NVIDIA platform");
        }
        nvidia.ensureOpen();
        return nvidia.handle;
    }

    @Override
    public MemorySegment nativeHandle() {
        ensureOpen();
        return handle;
    }

    @Override
    public boolean isComplete() {
        ensureOpen();
        device.makeCurrent();
        int rc = cuEventQuery(handle);
        if (rc == CudaCalls.NOT_READY) {
            return false;
        }
        CudaCalls.check(rc, "cuEventQuery");
        return true;
    }

    @Override
    public void synchronize() {
        ensureOpen();
        device.makeCurrent();
        CudaCalls.check(cuEventSynchronize(handle), "cuEventSynchronize");
    }

    @Override
    public float elapsedMillis(Event start) {
        ensureOpen();
        if (flags.contains(EventFlag.DISABLE_TIMING)) {
            throw new IllegalStateException("event was created with DISABLE_TIMING");
        }
        MemorySegment startHandle = handleOf(start);
        device.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_FLOAT);
            CudaCalls.check(cuEventElapsedTime_v2(out, startHandle, handle), "cuEventElapsedTime");
            return out.get(JAVA_FLOAT, 0);
        }
    }

    @Override
    public void close() {
        if (markClosed()) {
            device.makeCurrent();
            CudaCalls.check(cuEventDestroy_v2(handle), "cuEventDestroy");
        }
    }

    @Override
    public String toString() {
        return "NvidiaEvent[device=" + device.index() + ", " + flags + "]";
    }
}
