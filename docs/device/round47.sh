#!/usr/bin/env bash
# Round 47 (written 2026-12-06 in session 43, for the next sitting, on the H200 that issue 13
# names): the demo's defaults met every goal of issue 13 on an H100 in round 45 (P99 1.07x alone,
# P99.9 1.09x, the batch model at 95.25%) and missed them on the H200 in round 43 (1.19x, 1.68x,
# 94.4%), the batch goal within half a point of 95% in every sitting since round 41. Two samples
# of xsched-hpf with the defaults, each beside one of the jobs alone, then PyTorch; and the launch
# round trip's new row (the stream waiting on a polled event, no queue: how much of the XQueue's
# +2.5 us on a 20 us kernel is the way of noticing the completion, round 46).
#
#   bash docs/device/round47.sh l   # ~2 min: bench launch three times with the defaults, then twice
#                                   # deciding on the submitting thread with an idle poll of 1 ms
#                                   # (XSCHED_DECIDE_ON_SUBMIT=true, --idle-poll-us 1000): both
#                                   # wake-ups of round 46 off the launch call (the demo has neither)
#
# What ran (session 44, an H100 where the H200 was asked for): a, b, c, l, then the commands of l
# again in two calls (docs/data/2026-12-06-h100-round47/README.md says which file came from which).
#   bash docs/device/round47.sh a   # ~7 min: standalone-hp, then xsched-hpf (the demo's defaults)
#   bash docs/device/round47.sh b   # ~7 min: standalone-lp, then xsched-hpf (the demo's defaults)
#   bash docs/device/round47.sh c   # ~3.5 min: PyTorch + cuDNN, the online model on the
#                                   # highest-priority stream (as round 45 c)
#
# In this order on one lease: a, b, c (the sitting), then l if the time allows.
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, demo_with_clocks, pytorch_with_clocks, unpack_bundle, pack_results
part=${1:?a part: a, b, c or l}
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  a) DEMO_LIMIT=440 demo_with_clocks hp-and-hpf 1-hp-and-hpf.txt --modes standalone-hp,xsched-hpf ;;
  b) DEMO_LIMIT=440 demo_with_clocks lp-and-hpf 1-lp-and-hpf.txt --modes standalone-lp,xsched-hpf ;;
  c) pytorch_with_clocks 1-pytorch.txt 260 ;;
  l)
    for run in 1 2 3; do
      step launch-$run 60 "$x" bench launch > $out/1-launch-$run.txt 2>&1
      grep -E "kernel, |launch call|back-to-back|exit" $out/1-launch-$run.txt | head -20
    done
    for run in 1 2; do
      XSCHED_DECIDE_ON_SUBMIT=true step launch-online-$run 60 "$x" bench launch --idle-poll-us 1000 \
        > $out/2-launch-online-$run.txt 2>&1
      grep -E "kernel, |launch call|back-to-back|exit" $out/2-launch-online-$run.txt | head -20
    done
    ;;
  *) echo "unknown part '$part' (a, b, c or l)" >&2; exit 2 ;;
esac
pack_results round47-$part
