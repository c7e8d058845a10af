/* Input of jextract for the cuBLAS bindings: cublas_v2.h of the CUDA 13.0 toolkit, parsed as C
 * (see ../README.md). cublas_v2.h renames the classic functions with macros (cublasCreate ->
 * cublasCreate_v2, cublasSgemm -> cublasSgemm_v2), so includes.txt names the exported symbols. */
#include <cublas_v2.h>
