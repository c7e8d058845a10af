/**
 * Generated FFM bindings: hipBLAS (libhipblas), AMD's BLAS, behind dev.xsched.hip.blas on the AMD platform. Do not edit; regenerate with
 * {@code jextract/regenerate.sh hipblas}.
 *
 * <p>Provenance:
 * <ul>
 *   <li>generator: jextract 25 JDK version 25.0.3+9-LTS LibClang version Debian clang version 15.0.6</li>
 *   <li>headers: hipBLAS 2.2.0 headers (ROCm 6.2.4, ROCm/hipBLAS f4095274, hipblas.h sha256 033c13a19919a8e5c1b365049d1e2feb6a4ab5dd86583ab2057966654e813491), with libamdhip64-dev 5.2.3</li>
 *   <li>command: {@code jextract -D__HIP_PLATFORM_AMD__ -I jextract/hipblas/cmake-generated -I /usr/include -I ${HIPBLAS_INCLUDE_DIR:-.hipblas-headers} --target-package dev.xsched.hip.internal.panama.hipblas --header-class-name HipblasBindings @jextract/hipblas/includes.txt jextract/hipblas/hipblas_bindings.h}</li>
 * </ul>
 */
package dev.xsched.hip.internal.panama.hipblas;
