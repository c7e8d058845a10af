package dev.xsched.hip.blas;

/** How a GEMM reads a stored matrix: as stored ({@code N}) or transposed ({@code T}). */
public enum Transpose {
    /** op(X) = X. */
    N,
    /** op(X) = X<sup>T</sup>. */
    T
}
