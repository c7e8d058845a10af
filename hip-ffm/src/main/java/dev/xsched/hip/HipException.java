package dev.xsched.hip;

import java.util.Objects;

/**
 * A HIP call failed. The one exception type of this library for native failures: it carries the
 * numeric {@code hipError_t} code, its name (as {@code hipGetErrorName} gives it), its message (as
 * {@code hipGetErrorString} gives it) and the call that failed, so a log line alone says what
 * happened. On the NVIDIA platform the code is the matching HIP code (HIP's own CUDA-to-HIP table)
 * and the CUDA error name is kept in the message, for example {@code cuStreamSynchronize failed:
 * hipErrorIllegalAddress (700): an illegal memory access was encountered
 * (CUDA_ERROR_ILLEGAL_ADDRESS)}; after such a sticky error the message also says that the CUDA
 * context is unusable and names the first failure. The simulated platform throws the HIP codes a
 * GPU would.
 */
public class HipException extends RuntimeException {
    /** The numeric error code. */
    private final int code;
    /** The error's symbolic name. */
    private final String errorName;
    /** The runtime's description of the error. */
    private final String errorMessage;
    /** The failed call with its salient arguments. */
    private final String call;

    /**
     * A failed call. The message is {@code call failed: errorName (code): errorMessage}.
     *
     * @param code         the {@code hipError_t} value (or the compiler's result code)
     * @param errorName    its symbolic name, for example {@code hipErrorOutOfMemory}
     * @param errorMessage the runtime's description of it
     * @param call         the call with its salient arguments, for example {@code hipMalloc(bytes=1024)}
     * @throws NullPointerException if a string is null
     */
    public HipException(int code, String errorName, String errorMessage, String call) {
        super(format(code, errorName, errorMessage, call));
        this.code = code;
        this.errorName = Objects.requireNonNull(errorName, "errorName");
        this.errorMessage = Objects.requireNonNull(errorMessage, "errorMessage");
        this.call = Objects.requireNonNull(call, "call");
    }

    /**
     * Builds the exception for a code from {@link HipError}'s table, with HIP's name and
     * description: for platforms without {@code hipGetErrorName} (the simulated one) and for
     * queues outside hip-ffm that fail the way a GPU would.
     *
     * @param error the error
     * @param call  the call with its salient arguments
     * @return the exception, not thrown
     */
    public static HipException of(HipError error, String call) {
        return new HipException(error.code(), error.errorName(), error.description(), call);
    }

    private static String format(int code, String name, String message, String call) {
        return call + " failed: " + name + " (" + code + "): " + message;
    }

    /**
     * The numeric code, comparable with {@link HipError#code()} on every platform.
     *
     * @return the {@code hipError_t} value; for run-time compilation the {@code hiprtcResult} or
     *         {@code nvrtcResult}
     */
    public int code() {
        return code;
    }

    /**
     * The symbolic name.
     *
     * @return for example {@code hipErrorOutOfMemory} or {@code NVRTC_ERROR_COMPILATION}
     */
    public String errorName() {
        return errorName;
    }

    /**
     * The runtime's description of the error ({@code hipGetErrorString}, {@code cuGetErrorString}),
     * with the CUDA name appended on NVIDIA.
     *
     * @return the description
     */
    public String errorMessage() {
        return errorMessage;
    }

    /**
     * The call that failed, with its salient arguments.
     *
     * @return for example {@code hipMalloc(bytes=1024)} or {@code cuMemAlloc(bytes=1024)}
     */
    public String call() {
        return call;
    }

    /**
     * Whether this is the given well-known error, on any platform: prefer it to comparing names,
     * which differ between HIP and CUDA.
     *
     * @param error the error to test for
     * @return whether {@link #code()} is {@code error}'s code (meaningless for a
     *         {@link KernelCompilationException}, whose code is the compiler's)
     */
    public boolean is(HipError error) {
        return code == error.code();
    }
}
