#!/usr/bin/env bash
# Round 42 (written 2026-12-06 in session 41): issue 13's table with the online queue's stop on
# turning ready (examples' StopOnReady, the demo's default under HPF since this session): the
# online queue advances the batch queue's stop word, a store that a stream waiting on the word
# turns into the batch queue's stop flag, before anything else on the request's path.
# Round 41 (an H100, under JFR; docs/results.md) timed the decision round that the online
# request's submitting thread runs before its first kernel: 89 us at the median (reading the
# states 12, deciding 12.5, applying 61, of which the flag's copy 22), against a first call of
# 4-28 us on a plain stream. The store takes the copy off that path and stops the batch kernels
# before the round; with --decide-on-submit off the round leaves the path too.
#
#   bash docs/device/round42.sh a   # ~7 min: standalone-hp, then xsched-hpf with the stop and
#                                   # --decide-on-submit off
#   bash docs/device/round42.sh b   # ~7 min: standalone-lp, then xsched-hpf with the stop and the
#                                   # round on the submitting thread (the demo's default)
#   bash docs/device/round42.sh n   # ~3.5 min: xsched-hpf without the stop
#                                   # (-Dxsched.scenario.stopOnReady=false), --decide-on-submit off
#
# In this order: a and b are issue 13's table (the ratio against the standalone modes of the same
# sitting), n where time is left. Read each mode's "first call" and "LP's suspension began" lines
# and its "host: ... stolen by the hypervisor" line (a busy host's run is not read).
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, demo_with_clocks, unpack_bundle, pack_results
part=${1:?a part: a, b or n}
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  a)
    DEMO_LIMIT=440 demo_with_clocks hp-and-hpf-stop 1-hp-and-hpf-stop.txt --modes standalone-hp,xsched-hpf \
      --decide-on-submit off
    ;;
  b)
    DEMO_LIMIT=200 demo_with_clocks lp 1-lp.txt --modes standalone-lp
    demo_with_clocks hpf-stop-on-submit 2-hpf-stop-on-submit.txt --modes xsched-hpf
    ;;
  n)
    XSCHED_JAVA_OPTS=-Dxsched.scenario.stopOnReady=false demo_with_clocks hpf-no-stop 1-hpf-no-stop.txt \
      --modes xsched-hpf --decide-on-submit off
    ;;
  *) echo "unknown part '$part' (a, b or n)" >&2; exit 2 ;;
esac
pack_results round42-$part
