#!/usr/bin/env bash
# Round 17 on the NVIDIA H200: not run yet. From the repository root with the bundle at .device/r/
# and $OUT set; one call of about a minute.
#
#   bash docs/device/round17.sh a   # how fast the SM clock comes back once the power-capped GEMM job stops
#
# a: round 16 (docs/data/2026-12-03-h200-round16/) found the GPU at its 700 W limit beside the
#    TF32 GEMM job, 1530-1620 MHz in nvidia-smi's 100 ms samples against 1980 MHz with the online
#    model alone, and the online kernels' GPU span 1.38x longer. Whether the online kernels run at
#    that clock depends on how fast the clock comes back within a 2 ms request once the scheduler
#    stops the GEMMs: docs/device/clock_response.py measures the SM clock with a probe kernel
#    (clock64 against %globaltimer) from the moment the GEMMs end, and beside them running.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # env_info, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a}
env_info
case $part in
  a)
    python3 "$here/clock_response.py" --cycles 20 > $out/1-clock-response.txt 2>&1
    cat $out/1-clock-response.txt
    ;;
  *) echo "unknown part '$part' (a)" >&2; exit 2 ;;
esac
pack_results round17-$part
