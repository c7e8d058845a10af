/* Input of jextract for the CUDA driver API bindings: cuda.h of the CUDA 13.0 toolkit, parsed as C
 * (see ../README.md). cuda.h renames many functions with macros (cuMemAlloc -> cuMemAlloc_v2), so
 * includes.txt names the versioned symbols the driver really exports. */
#include <cuda.h>
