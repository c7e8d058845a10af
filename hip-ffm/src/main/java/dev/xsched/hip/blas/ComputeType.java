package dev.xsched.hip.blas;


/**
 * How a mixed-precision GEMM ({@link Blas#gemmEx}) multiplies and accumulates, with the matrix
 * types each one accepts (cuBLAS's {@code cublasGemmEx} table; hipBLAS follows it).
 */
public enum ComputeType {
    /**
     * Products and sums in FP32 ({@code CUBLAS_COMPUTE_32F}). A and B of one type (FP32, FP16 or
     * BF16); C of that type or FP32.
     */
    FP32,
    /**
     * FP32 data, products on tensor cores with the inputs rounded to TF32 (10 mantissa bits), sums in
     * FP32 ({@code CUBLAS_COMPUTE_32F_FAST_TF32}). A, B and C are FP32.
     */
    TF32,
    /**
     * FP32 data, the inputs rounded to BF16 for tensor cores, sums in FP32
     * ({@code CUBLAS_COMPUTE_32F_FAST_16BF}). A, B and C are FP32.
     */
    BF16,
    /**
     * Products and sums in FP16 ({@code CUBLAS_COMPUTE_16F}); alpha and beta are rounded to FP16.
     * A, B and C are FP16.
     */
    FP16;

    /**
     * Whether this compute type accepts matrices of these types.
     *
     * @param a A's element type
     * @param b B's element type
     * @param c C's element type
     * @return whether {@link Blas#gemmEx} with this compute type takes them
     */
    public boolean accepts(DataType a, DataType b, DataType c) {
        return switch (this) {
            case FP32 -> a == b && (c == a || c == DataType.FP32);
            case TF32, BF16 -> a == DataType.FP32 && b == DataType.FP32 && c == DataType.FP32;
            case FP16 -> a == DataType.FP16 && b == DataType.FP16 && c == DataType.FP16;
        };
    }

    /**
     * The matrix types this compute type accepts, for messages.
     *
     * @return for example {@code A, B and C in FP16}
     */
    public String accepted() {
        return switch (this) {
            case FP32 -> "A and B of one type (FP32, FP16 or BF16), C of that type or FP32";
            case TF32, BF16 -> "A, B and C in FP32";
            case FP16 -> "A, B and C in FP16";
        };
    }

}
