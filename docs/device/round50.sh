#!/usr/bin/env bash
# Round 50 (written 2026-12-06 in session 46): the seed scenario with XQueue sync points as plain
# events (commit 2d3b4f23, session 45), which it has not run with on a GPU. Round 47 (H100, the
# sync points still made with BLOCKING_SYNC) met every goal of issue 13 on that card: HP P99 1.08x
# standalone, P99.9 at most 1.05x, the batch model at 95.0-95.1%. The same parts, so that the two
# read side by side:
#   bash docs/device/round50.sh a   # ~7 min: standalone-hp, then xsched-hpf (the demo's defaults)
#   bash docs/device/round50.sh b   # ~7 min: standalone-lp, then xsched-hpf (the demo's defaults)
#   bash docs/device/round50.sh s   # ~3 min: standalone-lp alone for 150 s (not 180), when the
#                                   # budget has no room for b
#   bash docs/device/round50.sh c   # ~3.5 min: PyTorch + cuDNN (only on the H200 that issue 13 names)
# What ran (session 46, 2026-12-06, an H100 where the H200 was asked for, after seventeen calls
# that got no machine): a, then the command of s in a second call with 250 s left of the
# session's device time (docs/data/2026-12-06-h100-round50/README.md).
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call (the call's tree is limited to 64 MiB).
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, demo_with_clocks, pytorch_with_clocks, unpack_bundle, pack_results
part=${1:?a part: a, b, s or c}
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  a) DEMO_LIMIT=440 demo_with_clocks hp-and-hpf 1-hp-and-hpf.txt --modes standalone-hp,xsched-hpf ;;
  b) DEMO_LIMIT=440 demo_with_clocks lp-and-hpf 1-lp-and-hpf.txt --modes standalone-lp,xsched-hpf ;;
  s) # no clock sampling: as it ran, in the budget that was left
    step lp 230 "$x" demo --duration 150 --warmup 3 --modes standalone-lp --output $out/lp > $out/1-lp-150s.txt 2>&1
    grep -A2 "^mode  " $out/1-lp-150s.txt | head -3 ;;
  c) pytorch_with_clocks 1-pytorch.txt 260 ;;
  *) echo "unknown part '$part' (a, b, s or c)" >&2; exit 2 ;;
esac
pack_results round50-$part
