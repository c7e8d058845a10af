/* Input of jextract for the comgr bindings (Debian's libamd-comgr-dev 5.2.3, see ../README.md). */
#include <amd_comgr.h>
