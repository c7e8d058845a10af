/**
 * The contract between {@link dev.xsched.hip.blas.Blas} and the vendor libraries behind it
 * ({@code internal.nvidia.Cublas}, {@code internal.amd.Hipblas}), and the checked description of
 * one GEMM that both take.
 */
package dev.xsched.hip.internal.blas;
