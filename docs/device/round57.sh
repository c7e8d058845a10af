#!/usr/bin/env bash
# Round 57 (written 2026-12-07 in session 51). Issue 15's back-to-back goals (1.10x empty, 1.01x at
# 5 us) hold at a fixed window of 64/32 and not at the default 16/8 (round 54), and round 18's C
# program put a sync point every 8 kernels alone at 1.04x at 5 us: with a marker every 8 commands
# the 1.01x is out of reach. XQueueConfig.drainBudget (new, off by default) moves the window so
# that the released work takes about the budget to drain: wide for short kernels, narrow for long
# ones. w compares, in alternating order, bench launch's back-to-back rows at the default 16/8, a
# fixed 64/32, and 64/32 with a 500 us drain budget; g is the GPU suite on this bundle first (the
# queue's release path reads its window from the new ReleaseWindow).
#
#   bash docs/device/round57.sh g   # ~1 min: the GPU suite (round49.sh g)
#   bash docs/device/round57.sh w   # ~3 min: bench launch --rounds 9 at 16/8, 64/32 and 64/32 with
#                                   # --drain-budget-us 500, twice each in alternating order
#
# From the repository root with main's bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
part=${1:?a part: g or w}
case $part in
  g) exec bash "$here/round49.sh" g ;;
  w)
    . "$here/gpu-steps.sh"   # step, env_info, unpack_bundle, pack_results
    unpack_bundle            # sets $out, $home, $x
    env_info
    for run in 1 2; do
      for setting in fixed-16-8 fixed-64-32 budget-64-32; do
        case $setting in
          fixed-16-8) args="--threshold 16 --batch-size 8" ;;
          fixed-64-32) args="--threshold 64 --batch-size 32" ;;
          budget-64-32) args="--threshold 64 --batch-size 32 --drain-budget-us 500" ;;
        esac
        # shellcheck disable=SC2086 # $args is a list of options
        step window-$setting-$run 90 "$x" bench launch $args --rounds 9 > $out/window-$setting-$run.txt 2>&1
        echo "== $setting run $run"; grep -E "back-to-back" $out/window-$setting-$run.txt
      done
    done
    pack_results round57-w
    ;;
  *) echo "unknown part '$part' (g or w)" >&2; exit 2 ;;
esac
