/**
 * Generated FFM bindings: NVRTC, NVIDIA's run-time compiler of CUDA C++ to cubin and PTX. Do not edit; regenerate with
 * {@code jextract/regenerate.sh nvrtc}.
 *
 * <p>Provenance:
 * <ul>
 *   <li>generator: jextract 25 JDK version 25.0.3+9-LTS LibClang version Debian clang version 15.0.6</li>
 *   <li>headers: CUDA toolkit 13.0 headers (cuda.h CUDA_VERSION 13000, nvrtc.h)</li>
 *   <li>command: {@code jextract -I ${CUDA_INCLUDE_DIR:-.cuda-headers} --target-package dev.xsched.hip.internal.panama.nvrtc --header-class-name NvrtcBindings @jextract/nvrtc/includes.txt jextract/nvrtc/nvrtc_bindings.h}</li>
 * </ul>
 */
package dev.xsched.hip.internal.panama.nvrtc;
