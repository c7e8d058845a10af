package dev.xsched.hip.blas;

import java.util.Objects;

/**
 * A BLAS library call failed. Carries the library's status code, its name (as
 * {@code cublasGetStatusName} or {@code hipblasStatusToString} gives it), the library's description
 * and the call with its salient arguments, so a log line alone says what happened, for example
 * {@code cublasGemmEx(N, N, m=8192, n=8192, k=8192, FP32 x FP32 -> FP32, compute TF32) failed:
 * CUBLAS_STATUS_NOT_SUPPORTED (15): the functionality requested is not supported}.
 */
public class BlasException extends RuntimeException {
    /** The library's numeric status. */
    private final int status;
    /** The status's symbolic name. */
    private final String statusName;
    /** The library's description of the status. */
    private final String statusMessage;
    /** The failed call with its salient arguments. */
    private final String call;

    /**
     * A failed library call. The message is {@code call failed: statusName (status): statusMessage}.
     *
     * @param status        the {@code cublasStatus_t} or {@code hipblasStatus_t}
     * @param statusName    its symbolic name
     * @param statusMessage the library's description of it
     * @param call          the call with its salient arguments
     * @throws NullPointerException if a string is null
     */
    public BlasException(int status, String statusName, String statusMessage, String call) {
        super(call + " failed: " + statusName + " (" + status + "): " + statusMessage);
        this.status = status;
        this.statusName = Objects.requireNonNull(statusName, "statusName");
        this.statusMessage = Objects.requireNonNull(statusMessage, "statusMessage");
        this.call = Objects.requireNonNull(call, "call");
    }

    /**
     * The numeric status.
     *
     * @return the {@code cublasStatus_t} or {@code hipblasStatus_t}, for example 15 for
     *         {@code CUBLAS_STATUS_NOT_SUPPORTED}
     */
    public int status() {
        return status;
    }

    /**
     * The symbolic name.
     *
     * @return for example {@code CUBLAS_STATUS_INVALID_VALUE} or {@code HIPBLAS_STATUS_NOT_SUPPORTED}
     */
    public String statusName() {
        return statusName;
    }

    /**
     * The library's description of the status ({@code cublasGetStatusString}; hipBLAS has none of
     * its own and repeats the name).
     *
     * @return the description
     */
    public String statusMessage() {
        return statusMessage;
    }

    /**
     * The call that failed, with its salient arguments.
     *
     * @return for example {@code cublasSgemm(N, T, m=1024, n=1024, k=512, lda=1024, ldb=1024, ldc=1024)}
     */
    public String call() {
        return call;
    }
}
