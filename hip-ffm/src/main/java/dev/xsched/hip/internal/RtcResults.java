package dev.xsched.hip.internal;

import java.util.List;

/**
 * Names of {@code hiprtcResult} values; NVRTC's {@code nvrtcResult} uses the same numbering (and
 * adds values after {@code INTERNAL_ERROR}), so one table names both.
 */
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
    private static final List<String> NVRTC_ONLY_NAMES = List.of(
            "NVRTC_ERROR_TIME_FILE_WRITE_FAILED",
            "NVRTC_ERROR_NO_PCH_CREATE_ATTEMPTED",
            "NVRTC_ERROR_PCH_CREATE_HEAP_EXHAUSTED",
            "NVRTC_ERROR_PCH_CREATE",
            "NVRTC_ERROR_CANCELLED",
            "NVRTC_ERROR_TIME_TRACE_FILE_WRITE_FAILED");

    public static final int SUCCESS = 0;
    public static final int ERROR_COMPILATION = 6;

    private RtcResults() {
    }

    public static String name(int result) {
        return result >= 0 && result < HIPRTC_NAMES.size() ? HIPRTC_NAMES.get(result) : "HIPRTC_ERROR_" + result;
    }

    /** NVRTC's name of an {@code nvrtcResult}, for example {@code NVRTC_ERROR_COMPILATION}. */
    public static String nvrtcName(int result) {
        if (result >= 0 && result < HIPRTC_NAMES.size()) {
            return "NVRTC" + HIPRTC_NAMES.get(result).substring("HIPRTC".length());
        }
        int extra = result - HIPRTC_NAMES.size();
        return extra >= 0 && extra < NVRTC_ONLY_NAMES.size() ? NVRTC_ONLY_NAMES.get(extra) : "NVRTC_ERROR_" + result;
    }
}
