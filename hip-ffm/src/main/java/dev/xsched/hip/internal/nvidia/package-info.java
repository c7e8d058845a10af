/**
 * Not API: the NVIDIA platform over the CUDA driver API and NVRTC (and cuBLAS where installed),
 * through the generated bindings of dev.xsched.hip.internal.panama.cuda; every call checks its
 * CUresult.
 */
package dev.xsched.hip.internal.nvidia;
