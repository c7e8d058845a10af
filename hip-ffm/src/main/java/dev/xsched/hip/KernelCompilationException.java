package dev.xsched.hip;

/**
 * Run-time compilation (hiprtc or NVRTC) failed. {@link #log()} holds the compiler's complete log,
 * which is also the tail of {@link #getMessage()}.
 */
public final class KernelCompilationException extends HipException {
    /** The compiler's log, kept apart from the message for tools that show it on its own. */
    private final String log;

    /**
     * A failed compilation.
     *
     * @param code         the {@code hiprtcResult} or {@code nvrtcResult}, usually 6
     *                     ({@code *_ERROR_COMPILATION})
     * @param errorName    its name, for example {@code NVRTC_ERROR_COMPILATION}
     * @param errorMessage the library's description of it
     * @param call         the call with the program name and options
     * @param log          the compiler's complete log, possibly empty
     */
    public KernelCompilationException(int code, String errorName, String errorMessage, String call, String log) {
        super(code, errorName, errorMessage + (log.isBlank() ? "" : "\n--- compile log ---\n" + log), call);
        this.log = log;
    }

    /**
     * The compiler's full log: the errors with their line numbers.
     *
     * @return the log, possibly empty
     */
    public String log() {
        return log;
    }
}
