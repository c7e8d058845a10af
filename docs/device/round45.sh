#!/usr/bin/env bash
# Round 45 (written 2026-12-06 in session 42, for the next sitting): do the one-tile yieldable twins
# (--persistent-grids off) hold the online tail now that the online queue stops the batch kernels
# itself (StopOnReady, since round 42)? Where the batch model's 5% goes (rounds 43-44,
# docs/results.md): 0.8-0.9% suspended, the rest the persistent twins' own price (+4.2% over the
# plain kernels, round 30; the one-tile twins +1.9%, round 29). The one-tile twins reached 95.6% of
# alone in round 30 but lost the tail then (GPU-side P99 1.38 against 1.07 ms): a suspend left
# thousands of undispatched blocks to read the flag and leave, after a round on the host had
# raised it. Since round 42 the store raises it before the online request's first kernel.
#
#   bash docs/device/round45.sh a   # ~7 min: standalone-hp, then xsched-hpf --persistent-grids off
#   bash docs/device/round45.sh b   # ~7 min: standalone-lp, then xsched-hpf (the demo's defaults)
#   bash docs/device/round45.sh c   # ~3.5 min: PyTorch + cuDNN, the online model on the
#                                   # highest-priority stream (as round 43 c)
#   bash docs/device/round45.sh d   # ~7 min: xsched-hpf with the scheduling thread spinning 1 ms,
#                                   # then without (the defaults)
#   bash docs/device/round45.sh e   # ~7 min: the same in the other order
#
# In this order, on one lease: a, b, c; then d and e on a lease of their own if the time allows.
# d and e compare the spin in an A-B-B-A order (rounds 38, 43 and 44 ran their pairs minutes
# apart in one order, and disagreed: docs/results.md, rounds 43-44).
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, with_clocks, clocks_per_second, demo_with_clocks, unpack_bundle, pack_results
part=${1:?a part: a, b, c, d or e}
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  a) DEMO_LIMIT=440 demo_with_clocks hp-and-one-tile 1-hp-and-one-tile.txt --modes standalone-hp,xsched-hpf --persistent-grids off ;;
  b) DEMO_LIMIT=440 demo_with_clocks lp-and-hpf 1-lp-and-hpf.txt --modes standalone-lp,xsched-hpf ;;
  c) pytorch_with_clocks 1-pytorch.txt 260 ;;
  d)
    XSCHED_SCHEDULER_SPIN_US=1000 demo_with_clocks hpf-spin 1-hpf-spin.txt --modes xsched-hpf
    demo_with_clocks hpf 2-hpf.txt --modes xsched-hpf
    ;;
  e)
    demo_with_clocks hpf 1-hpf.txt --modes xsched-hpf
    XSCHED_SCHEDULER_SPIN_US=1000 demo_with_clocks hpf-spin 2-hpf-spin.txt --modes xsched-hpf
    ;;
  *) echo "unknown part '$part' (a, b, c, d or e)" >&2; exit 2 ;;
esac
pack_results round45-$part
