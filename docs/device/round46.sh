#!/usr/bin/env bash
# Round 46 (written 2026-12-06 in session 43): where an XQueue's synchronous round trip spends its
# extra 3-5 us (issue 15's goal: +3 us P50, +10 us P99 over a stream of the same priority).
# `xsched bench launch` now times the launch call within each round trip ("of which the launch
# call"), so the queue's cost splits into the submitting call (buffering, the release, telling the
# scheduler and the completion thread that the queue turned ready) and the synchronize (the sync
# point's record, polling it, recording the completion).
#
#   bash docs/device/round46.sh l   # ~1 min: bench launch three times
#   bash docs/device/round46.sh p   # ~1 min: which wake-up the launch call pays: bench launch twice
#                                   # with the completion thread polling when idle (--idle-poll-us
#                                   # 1000: the first launch of a burst no longer wakes it), then
#                                   # twice each with the scheduling thread spinning 1 ms after its
#                                   # work (XSCHED_SCHEDULER_SPIN_US=1000: the queue turning ready
#                                   # finds it awake), without and with the idle poll
#
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, unpack_bundle, pack_results
part=${1:?a part: l or p}
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  l)
    for run in 1 2 3; do
      step launch-$run 60 "$x" bench launch > $out/1-launch-$run.txt 2>&1
      grep -E "round trip|kernel, |launch call|back-to-back|exit" $out/1-launch-$run.txt | head -16
    done
    ;;
  p)
    for run in 1 2; do
      step launch-poll-$run 60 "$x" bench launch --idle-poll-us 1000 > $out/2-launch-poll-$run.txt 2>&1
      grep -E "kernel, |launch call|back-to-back|exit" $out/2-launch-poll-$run.txt | head -16
    done
    for run in 1 2; do
      XSCHED_SCHEDULER_SPIN_US=1000 step launch-spin-$run 60 "$x" bench launch > $out/3-launch-spin-$run.txt 2>&1
      grep -E "kernel, |launch call|back-to-back|exit" $out/3-launch-spin-$run.txt | head -16
      XSCHED_SCHEDULER_SPIN_US=1000 step launch-spin-poll-$run 60 "$x" bench launch --idle-poll-us 1000 \
        > $out/4-launch-spin-poll-$run.txt 2>&1
      grep -E "kernel, |launch call|back-to-back|exit" $out/4-launch-spin-poll-$run.txt | head -16
    done
    ;;
  *) echo "unknown part '$part' (l or p)" >&2; exit 2 ;;
esac
pack_results round46-$part
