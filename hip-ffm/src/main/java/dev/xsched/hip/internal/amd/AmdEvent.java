package dev.xsched.hip.internal.amd;

import dev.xsched.hip.EventFlag;
import dev.xsched.hip.internal.AbstractNativeEvent;

import java.lang.foreign.MemorySegment;
import java.util.Set;

import static dev.xsched.hip.internal.panama.hip.HipBindings.*;

/** A {@code hipEvent_t}: the native calls behind {@link AbstractNativeEvent}'s checks. */
final class AmdEvent extends AbstractNativeEvent {
    AmdEvent(AmdDevice device, MemorySegment handle, Set<EventFlag> flags) {
        super(device, handle, flags);
    }

    @Override
    protected boolean queryComplete(MemorySegment event) {
        int rc = hipEventQuery(event);
        if (rc == HipCalls.NOT_READY) {
            return false;
        }
        HipCalls.check(rc, "hipEventQuery");
        return true;
    }

    @Override
    protected void issueSynchronize(MemorySegment event) {
        HipCalls.check(hipEventSynchronize(event), "hipEventSynchronize");
    }

    @Override
    protected void issueElapsedTime(MemorySegment out, MemorySegment start, MemorySegment end) {
        HipCalls.check(hipEventElapsedTime(out, start, end), "hipEventElapsedTime");
    }

    @Override
    protected void issueDestroy(MemorySegment event) {
        HipCalls.check(hipEventDestroy(event), "hipEventDestroy");
    }
}
