#!/usr/bin/env bash
# Round 44 (written 2026-12-06 in session 42): does the scheduling thread's 1 ms spin after its
# work (XSCHED_SCHEDULER_SPIN_US=1000) help the demo enough to be its default? Round 38 e and round
# 43 b (docs/results.md) both had every column better with it. Part a reads the batch model's share
# beside its standalone rate in one call with the spin; part b repeats xsched-hpf without it on the
# same lease. (The bundle that ran this round, of 2026-12-06 10:32 UTC, spun by default; the spin
# is set here explicitly so that the commands repeat the round. It did not become the default:
# on round 44's H100 the online P99 was 1.42 ms with the spin against 0.78 without.)
#
#   bash docs/device/round44.sh a   # ~7 min: standalone-lp, then xsched-hpf with the spin
#   bash docs/device/round44.sh b   # ~3.5 min: xsched-hpf without it (the demo's defaults)
#
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, with_clocks, clocks_per_second, demo_with_clocks, unpack_bundle, pack_results
part=${1:?a part: a or b}
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  a) XSCHED_SCHEDULER_SPIN_US=1000 DEMO_LIMIT=440 demo_with_clocks lp-and-hpf 1-lp-and-hpf.txt --modes standalone-lp,xsched-hpf ;;
  b) XSCHED_SCHEDULER_SPIN_US=0 demo_with_clocks hpf-no-spin 1-hpf-no-spin.txt --modes xsched-hpf ;;
  *) echo "unknown part '$part' (a or b)" >&2; exit 2 ;;
esac
pack_results round44-$part
