/* Stand-in for the hipblas-export.h that hipBLAS's CMake build generates (GenerateExportHeader)
 * and installs beside hipblas.h; it is not in hipBLAS's source tree. For bindings only the
 * function declarations matter, so the export macro is empty. Written for this repository. */
#ifndef HIPBLAS_EXPORT_H
#define HIPBLAS_EXPORT_H
#define HIPBLAS_EXPORT
#define HIPBLAS_NO_EXPORT
#endif
