/**
 * Vendor BLAS on hip-ffm's platforms: cuBLAS on NVIDIA, hipBLAS on AMD, behind one small typed API
 * ({@link dev.xsched.hip.blas.Blas}) whose calls go to any {@link dev.xsched.hip.CommandQueue}. On an
 * XQueue each call is one gated command: it is released with the queue's other commands, in order,
 * and bound to the queue's stream only then. Matrices are column-major. The libraries are found at
 * run time (never linked); {@link dev.xsched.hip.blas.Blas#probe(String)} reports every place tried.
 * See {@code docs/libraries.md} for what can and cannot be preempted in library work.
 */
package dev.xsched.hip.blas;
