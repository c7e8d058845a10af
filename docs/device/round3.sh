#!/usr/bin/env bash
# Round 3 on the NVIDIA H200, in three device calls of under ten minutes each (the device tool's
# limit per command), from the repository root with the bundle at .device/r/ and $OUT set:
#   bash docs/device/round3.sh a   # GPU suite, launch overheads, the hpf batch-share diagnosis, 10 M soak
#   bash docs/device/round3.sh b   # multi-process: bench ipc, demo --processes 2 beside one process
#   bash docs/device/round3.sh c   # example blas in panels, bench policies (up, kedf)
# Each part's own script says what to look for.
set -u
here=$(dirname "$0")
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
export XSCHED_CUBLAS_LIBRARY=/usr/local/cuda/lib64
step() { local name=$1 limit=$2; shift 2; echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"; local s=$SECONDS; timeout "$limit" "$@"; echo "== $name: exit $? after $((SECONDS - s)) s"; }
part() { mkdir -p "$out/$1"; OUT=$out/$1 bash "$here/$2"; }
case ${1:?a, b or c} in
  a)
    { nvidia-smi; step info 30 "$x" info; } > $out/0-info.txt 2>&1
    step gpu-test 150 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    part launch round3-launch.sh
    part hpf round3-hpf.sh
    XSCHED_JAVA_OPTS=-XX:NativeMemoryTracking=summary step soak 120 "$x" soak --queues 1000 --commands 10000000 > $out/2-soak.txt 2>&1
    ;;
  b)
    # The TF32 convolutions' register use and spills, plain against yieldable (ptxas -v), from the
    # kernel source ResNetKernels.source() assembles (written out beside the bundle).
    for src in .device/r/*.cu; do
      echo "== $src"; /usr/local/cuda/bin/nvcc -arch=sm_90 -cubin -o /tmp/k.cubin -Xptxas -v -x cu "$src" 2>&1 | grep -A3 "entry function 'conv2d_tf32"
    done > $out/0-ptxas.txt 2>&1
    step bench-launch 40 "$x" bench launch > $out/0-bench-launch.txt 2>&1
    part ipc round3-ipc.sh
    ;;
  c) part blas round3-blas.sh ;;
  *) echo "unknown part '$1' (a, b or c)" >&2; exit 2 ;;
esac
# The device tool brings back only a few files: everything goes back as one archive too.
tar -czf "$out/round3-$1.tgz" -C "$out" --exclude='*.tgz' . 2>/dev/null
