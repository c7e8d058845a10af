/* Input of jextract for the NVRTC bindings: nvrtc.h of the CUDA 13.0 toolkit, parsed as C (its C++
 * parts sit behind __cplusplus and are skipped; see ../README.md). */
#include <nvrtc.h>
