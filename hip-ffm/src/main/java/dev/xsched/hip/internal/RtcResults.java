package dev.xsched.hip.internal;

import java.util.List;

/** Names of {@code hiprtcResult} values; NVRTC's {@code nvrtcResult} uses the same numbering. */
public final class RtcResults {
    private static final List<String> HIPRTC_NAMES = List.of(
            "HIPRTC_SUCCESS",
            "HIPRTC_ERROR_OUT_OF_MEMORY",
            "HIPRTC_ERROR_PROGRAM_CREATION_FAILURE",
            "HIPRTC_ERROR_INVALID_INPUT",
            "HIPRTC_ERROR_INVALID_PROGRAM",
            "HIPRTC_ERROR_INVALID_OPTION",
            "HIPRTC_ERROR_COMPILATION",
            "HIPRTC_ERROR_BUILTIN_OPERATION_FAILURE",
            "HIPRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION",
            "HIPRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION",
            "HIPRTC_ERROR_NAME_EXPRESSION_NOT_VALID",
            "HIPRTC_ERROR_INTERNAL_ERROR");

    public static final int SUCCESS = 0;
    public static final int ERROR_COMPILATION = 6;

    private RtcResults() {
    }

    public static String name(int result) {
        return result >= 0 && result < HIPRTC_NAMES.size() ? HIPRTC_NAMES.get(result) : "HIPRTC_ERROR_" + result;
    }
}
