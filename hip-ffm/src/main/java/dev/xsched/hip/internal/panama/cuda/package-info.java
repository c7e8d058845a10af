/**
 * Generated FFM bindings: CUDA driver API (libcuda), the NVIDIA platform behind the hip-ffm API. Do not edit; regenerate with
 * {@code jextract/regenerate.sh cuda}.
 *
 * <p>Provenance:
 * <ul>
 *   <li>generator: jextract 25 JDK version 25.0.3+9-LTS LibClang version Debian clang version 15.0.6</li>
 *   <li>headers: CUDA toolkit 13.0 headers (cuda.h CUDA_VERSION 13000, nvrtc.h)</li>
 *   <li>command: {@code jextract -I ${CUDA_INCLUDE_DIR:-.cuda-headers} --target-package dev.xsched.hip.internal.panama.cuda --header-class-name CudaBindings @jextract/cuda/includes.txt jextract/cuda/cuda_bindings.h}</li>
 * </ul>
 */
package dev.xsched.hip.internal.panama.cuda;
