/**
 * Generated FFM bindings: AMD code object manager (comgr): the GPU targets it can compile for. Do not edit; regenerate with
 * {@code jextract/regenerate.sh comgr}.
 *
 * <p>Provenance:
 * <ul>
 *   <li>generator: jextract 25 JDK version 25.0.3+9-LTS LibClang version Debian clang version 15.0.6</li>
 *   <li>headers: libamd-comgr-dev 5.2.3-2 (amd_comgr.h)</li>
 *   <li>command: {@code jextract -I /usr/include --target-package dev.xsched.hip.internal.panama.comgr --header-class-name ComgrBindings @jextract/comgr/includes.txt jextract/comgr/comgr_bindings.h}</li>
 * </ul>
 */
package dev.xsched.hip.internal.panama.comgr;
