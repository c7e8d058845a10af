package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.EventFlag;
import dev.xsched.hip.internal.AbstractNativeEvent;

import java.lang.foreign.MemorySegment;
import java.util.Set;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.*;

/** A {@code CUevent}: the native calls behind {@link AbstractNativeEvent}'s checks. */
final class NvidiaEvent extends AbstractNativeEvent {
    NvidiaEvent(NvidiaDevice device, MemorySegment handle, Set<EventFlag> flags) {
        super(device, handle, flags);
    }

    @Override
    protected boolean queryComplete(MemorySegment event) {
        int rc = cuEventQuery(event);
        if (rc == CudaCalls.NOT_READY) {
            return false;
        }
        CudaCalls.check(rc, "cuEventQuery");
        return true;
    }

    @Override
    protected void issueSynchronize(MemorySegment event) {
        CudaCalls.check(cuEventSynchronize(event), "cuEventSynchronize");
    }

    @Override
    protected void issueElapsedTime(MemorySegment out, MemorySegment start, MemorySegment end) {
        CudaCalls.check(cuEventElapsedTime_v2(out, start, end), "cuEventElapsedTime");
    }

    @Override
    protected void issueDestroy(MemorySegment event) {
        CudaCalls.check(cuEventDestroy_v2(event), "cuEventDestroy");
    }
}
