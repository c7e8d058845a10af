package dev.xsched.hip;

import java.util.Objects;

/**
 * A HIP call failed. The one exception type of this library for native failures: it carries the
 * numeric {@code hipError_t} code, its name (as {@code hipGetErrorName} gives it), its message (as
 * {@code hipGetErrorString} gives it) and the call that failed, so a log line alone says what
 * happened. On the NVIDIA platform the code is the matching HIP code and the CUDA error name is
 * kept in the message.
 */
public class HipException extends RuntimeException {
    private final int code;
    private final String errorName;
    private final String errorMessage;
    private final String call;

    public HipException(int code, String errorName, String errorMessage, String call) {
        super(format(code, errorName, errorMessage, call));
        this.code = code;
        this.errorName = Objects.requireNonNull(errorName, "errorName");
        this.errorMessage = Objects.requireNonNull(errorMessage, "errorMessage");
        this.call = Objects.requireNonNull(call, "call");
    }

    /** Builds the exception for a code from {@link HipError}'s table. */
    public static HipException of(HipError error, String call) {
        return new HipException(error.code(), error.errorName(), error.description(), call);
    }

    private static String format(int code, String name, String message, String call) {
        return call + " failed: " + name + " (" + code + "): " + message;
    }

    /** The {@code hipError_t} value (or {@code hiprtcResult} for run-time compilation). */
    public int code() {
        return code;
    }

    /** The symbolic name, for example {@code hipErrorOutOfMemory}. */
    public String errorName() {
        return errorName;
    }

    /** The runtime's description of the error. */
    public String errorMessage() {
        return errorMessage;
    }

    /** The call that failed, with its salient arguments, for example {@code hipMalloc(bytes=1024)}. */
    public String call() {
        return call;
    }

    /** Whether this is the given well-known error. */
    public boolean is(HipError error) {
        return code == error.code();
    }
}
