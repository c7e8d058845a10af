/**
 * Not API: the AMD platform over the HIP runtime, hiprtc and comgr (and hipBLAS where installed),
 * through the generated bindings of dev.xsched.hip.internal.panama.hip; every call checks its
 * hipError_t.
 */
package dev.xsched.hip.internal.amd;
