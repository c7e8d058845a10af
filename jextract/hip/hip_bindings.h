/* Input of jextract for the HIP bindings: the two public headers hip-ffm binds.
 * Parsed with -D__HIP_PLATFORM_AMD__ against Debian's libamdhip64-dev 5.2.3 (see ../README.md). */
#include <hip/hip_runtime_api.h>
#include <hip/hiprtc.h>
