package dev.xsched.hip.internal.amd;

import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.internal.NativeStrings;
import dev.xsched.hip.internal.panama.hip.HipBindings;

/** Return-code checking for every HIP call: a non-zero {@code hipError_t} becomes a {@link HipException}. */
final class HipCalls {
    static final int SUCCESS = HipBindings.hipSuccess();
    static final int NOT_READY = HipBindings.hipErrorNotReady();
    static final int NO_DEVICE = HipBindings.hipErrorNoDevice();

    private HipCalls() {
    }

    /** Throws unless {@code rc} is {@code hipSuccess}. Build {@code call} only on failure paths when it is costly. */
    static void check(int rc, String call) {
        if (rc != SUCCESS) {
            throw failure(rc, call);
        }
    }

    static HipException failure(int rc, String call) {
        // hipGetLastError clears the sticky per-thread copy of this error, so it does not surface again later.
        HipBindings.hipGetLastError();
        return new HipException(rc, errorName(rc), errorString(rc), call);
    }

    static String errorName(int rc) {
        return NativeStrings.read(HipBindings.hipGetErrorName(rc), "hipError" + rc);
    }

    static String errorString(int rc) {
        String message = NativeStrings.read(HipBindings.hipGetErrorString(rc), "unknown error");
        // Some ROCm releases answer hipGetErrorString with the bare name; HIP's own description says more.
        if (message.equals(errorName(rc))) {
            return HipError.fromCode(rc).map(HipError::description).orElse(message);
        }
        return message;
    }
}
