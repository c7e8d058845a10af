package dev.xsched.hip.blas;

/** The element type of a matrix in device memory ({@code cudaDataType} / {@code hipDataType}). */
public enum DataType {
    /** IEEE 754 binary32 ({@code CUDA_R_32F}). */
    FP32(4),
    /** IEEE 754 binary16 ({@code CUDA_R_16F}). */
    FP16(2),
    /** bfloat16: the upper half of a binary32 ({@code CUDA_R_16BF}). */
    BF16(2);

    private final int bytes;

    DataType(int bytes) {
        this.bytes = bytes;
    }

    /**
     * The element's size, which is also the alignment a matrix's address needs.
     *
     * @return bytes per element
     */
    public int bytes() {
        return bytes;
    }
}
