/* Input of jextract for the hipBLAS bindings: hipblas.h of hipBLAS 2.2.0 (ROCm 6.2.4), parsed as C
 * with -D__HIP_PLATFORM_AMD__ (see ../README.md and target.conf). */
#include <hipblas.h>
