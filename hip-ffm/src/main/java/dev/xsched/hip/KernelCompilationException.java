package dev.xsched.hip;

/**
 * Run-time compilation (hiprtc or NVRTC) failed. {@link #log()} holds the compiler's complete log,
 * which is also the tail of {@link #getMessage()}.
 */
public final class KernelCompilationException extends HipException {
    private final String log;

    public KernelCompilationException(int code, String errorName, String errorMessage, String call, String log) {
        super(code, errorName, errorMessage + (log.isBlank() ? "" : "\n--- compile log ---\n" + log), call);
        this.log = log;
    }

    /** The compiler's full log. */
    public String log() {
        return log;
    }
}
