#!/usr/bin/env bash
# Round 43 (written 2026-12-06 in session 41): issue 13's table on the card it names (an H200),
# with the demo's defaults since round 42: the online queue stops the batch queue's kernels itself
# when it turns ready (StopOnReady) and the scheduler's round runs on its own thread
# (--decide-on-submit off by default there). Round 42 (an H100, one lease, docs/results.md) had
# P99 1.04x alone and P99.9 0.92x, the batch model at 94.8% of alone (goal 95%). With the round
# off the submitting thread the scheduling thread wakes twice per request (the online queue's
# readiness, then its idleness, whose round resumes the batch queue); part b reads whether a 1 ms
# spin after each event (XSCHED_SCHEDULER_SPIN_US, round 38 part e: 95.4% against 95.2% with the
# round on the submitting thread) gives the batch model the 0.2 points by resuming it sooner.
#
#   bash docs/device/round43.sh a   # ~7 min: standalone-hp, then xsched-hpf (the demo's defaults)
#   bash docs/device/round43.sh b   # ~7 min: standalone-lp, then xsched-hpf with the scheduling
#                                   # thread spinning 1 ms after each event
#   bash docs/device/round43.sh c   # ~3.5 min: PyTorch + cuDNN, the online model on the
#                                   # highest-priority stream (round35.sh s's second half)
#   bash docs/device/round43.sh t   # ~8 min: xsched-hpf in two processes, the defaults, then with
#                                   # --decide-on-submit off (round41.sh t)
#
# In this order: a, b, c (issue 13's table in one sitting), then t.
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, with_clocks, clocks_per_second, demo_with_clocks, unpack_bundle, pack_results
part=${1:?a part: a, b, c or t}
case $part in # earlier rounds' parts, which unpack and pack for themselves
  t) exec bash "$here/round41.sh" t ;;
esac
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  a)
    DEMO_LIMIT=440 demo_with_clocks hp-and-hpf 1-hp-and-hpf.txt --modes standalone-hp,xsched-hpf
    ;;
  b)
    DEMO_LIMIT=200 demo_with_clocks lp 1-lp.txt --modes standalone-lp
    XSCHED_SCHEDULER_SPIN_US=1000 demo_with_clocks hpf-spin 2-hpf-spin.txt --modes xsched-hpf
    ;;
  c) pytorch_with_clocks 1-pytorch.txt 260 ;;
  *) echo "unknown part '$part' (a, b, c or t)" >&2; exit 2 ;;
esac
pack_results round43-$part
