/**
 * Generated FFM bindings: cuBLAS (libcublas), NVIDIA's BLAS, behind dev.xsched.hip.blas on the NVIDIA platform. Do not edit; regenerate with
 * {@code jextract/regenerate.sh cublas}.
 *
 * <p>Provenance:
 * <ul>
 *   <li>generator: jextract 25 JDK version 25.0.3+9-LTS LibClang version Debian clang version 15.0.6</li>
 *   <li>headers: CUDA toolkit 13.0 headers (cuda.h CUDA_VERSION 13000, cublas_v2.h, cublas_api.h)</li>
 *   <li>command: {@code jextract -I ${CUDA_INCLUDE_DIR:-.cuda-headers} --target-package dev.xsched.hip.internal.panama.cublas --header-class-name CublasBindings @jextract/cublas/includes.txt jextract/cublas/cublas_bindings.h}</li>
 * </ul>
 */
package dev.xsched.hip.internal.panama.cublas;
