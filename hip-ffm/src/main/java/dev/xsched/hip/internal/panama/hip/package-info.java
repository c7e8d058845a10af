/**
 * Generated FFM bindings: HIP runtime API and hiprtc (AMD platform headers). Do not edit; regenerate with
 * {@code jextract/regenerate.sh hip}.
 *
 * <p>Provenance:
 * <ul>
 *   <li>generator: jextract 25 JDK version 25.0.3+9-LTS LibClang version Debian clang version 15.0.6</li>
 *   <li>headers: libamdhip64-dev 5.2.3-8 (hip/hip_runtime_api.h hip/hiprtc.h)</li>
 *   <li>command: {@code jextract -D__HIP_PLATFORM_AMD__ -I /usr/include --target-package dev.xsched.hip.internal.panama.hip --header-class-name HipBindings @jextract/hip/includes.txt jextract/hip/hip_bindings.h}</li>
 * </ul>
 */
package dev.xsched.hip.internal.panama.hip;
