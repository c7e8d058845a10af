# Sourced by run-gemm-comparison.sh and run-launch-comparison.sh (bash): where the CUDA toolkit and the xsched bundle are.
#   bench_env NAME HEADER   sets cuda (the toolkit: $CUDA_HOME, $CUDA_PATH, /usr/local/cuda, else
#                           the toolkit of the nvcc on PATH; it must hold include/HEADER), lib (its
#                           lib64, or lib for pip wheels) and xsched (the bundle's bin/xsched: $XSCHED,
#                           ../bin/xsched beside the script in an unpacked bundle, or the checkout's
#                           examples/target bundle); exits with a message naming NAME otherwise.
#   link_flag LIBRARY       -lLIBRARY, or -l:libLIBRARY.so.NN where only a versioned file exists (pip wheels)
bench_env() {
  local name=$1 header=$2 here candidate
  here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
  cuda=${CUDA_HOME:-${CUDA_PATH:-/usr/local/cuda}}
  if [ ! -f "$cuda/include/$header" ] && command -v nvcc >/dev/null; then
    cuda=$(cd "$(dirname "$(readlink -f "$(command -v nvcc)")")/.." && pwd)
  fi
  xsched=${XSCHED:-}
  if [ -z "$xsched" ]; then
    for candidate in "$here/../bin/xsched" "$here/../../../target/xsched-bundle-linux-x86_64/bin/xsched"; do
      if [ -x "$candidate" ]; then xsched=$candidate; break; fi
    done
  fi
  if [ -z "$xsched" ] || [ ! -x "$xsched" ]; then
    echo "$name: no xsched bundle found; build it (./mvnw -B -Pbundle -DskipTests package) and" \
         "unpack examples/target/xsched-bundle-linux-x86_64.tar.xz, or set XSCHED=/path/to/bundle/bin/xsched" >&2
    exit 1
  fi
  if [ ! -f "$cuda/include/$header" ]; then
    echo "$name: $cuda/include/$header not found; set CUDA_HOME to a CUDA toolkit" >&2
    exit 1
  fi
  # The toolkit's libraries are in lib64 (installers) or lib (pip wheels).
  lib=$cuda/lib64
  [ -d "$lib" ] || lib=$cuda/lib
}

link_flag() {
  local versioned
  if ls "$lib/lib$1.so" >/dev/null 2>&1; then
    echo "-l$1"
  else
    versioned=$(ls "$lib/lib$1".so.1[0-9] 2>/dev/null | sort -V | tail -1)
    echo "${versioned:+-l:$(basename "$versioned")}"
  fi
}
