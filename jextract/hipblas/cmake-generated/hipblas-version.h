/* Stand-in for the hipblas-version.h that hipBLAS's CMake build generates from
 * library/include/hipblas-version.h.in, with the version of the pinned source (2.2.0, the hipBLAS
 * of ROCm 6.2.4). Written for this repository; nothing in the bindings depends on these values. */
#ifndef HIPBLAS_VERSION_H
#define HIPBLAS_VERSION_H
#define hipblasVersionMajor 2
#define hipblaseVersionMinor 2
#define hipblasVersionMinor 2
#define hipblasVersionPatch 0
#define hipblasVersionTweak 0
#endif
