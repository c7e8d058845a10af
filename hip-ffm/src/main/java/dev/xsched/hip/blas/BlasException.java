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
    private final int status;
    private final String statusName;
    private final String statusMessage;
    private final String call;

    public BlasException(int status, String statusName, String statusMessage, String call) {
        super(call + " failed: " + statusName + " (" + status + "): " + statusMessage);
        this.status = status;
        this.statusName = Objects.requireNonNull(statusName, "statusName");
        this.statusMessage = Objects.requireNonNull(statusMessage, "statusMessage");
        this.call = Objects.requireNonNull(call, "call");
    }

    /** The numeric status ({@code cublasStatus_t} or {@code hipblasStatus_t}). */
    public int status() {
        return status;
    }

    /** The symbolic name, for example {@code CUBLAS_STATUS_INVALID_VALUE}. */
    public String statusName() {
        return statusName;
    }

    /** The library's description of the status. */
    public String statusMessage() {
        return statusMessage;
    }

    /** The call that failed, with its salient arguments. */
    public String call() {
        return call;
    }
}
