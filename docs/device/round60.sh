#!/usr/bin/env bash
# Round 60 (written 2026-12-07 in session 54, for the next sitting). Round 59 (H100) found the
# empty kernel's XQueue round trip at P99 +2.7 to +21.6 us over the stream (median +11.0, issue
# 15's goal +10) in 23 JVMs, its launch call's P99 5-15 us over the stream's whether the policy
# decided on the submitting thread or not, and lock waits in only 0.14% of round trips (round 53's
# park recording). bench launch now splits that launch call at the native launch (the queue's
# work before it, the native call, the queue's work after it); l runs it. On an H200, issue 13's
# sitting comes first: round52.sh b, then s and c, with the same bundle.
#
#   bash docs/device/round60.sh l   # ~1 min a run: bench launch --rounds 9 at the defaults
#                                   # (L_RUNS=N, default 4), each JVM's split rows and round trips in
#                                   # window-split-N.txt (gpu-steps.sh's window_part)
#   bash docs/device/round60.sh w   # ~70 s a pair: the defaults, then both wake-ups of the launch
#                                   # call taken off (--idle-poll-us 1000 --decide-on-submit on),
#                                   # alternating (W_RUNS=N pairs, default 4): window-{defaults,
#                                   # nowake}-N.txt, each with the split row
#   bash docs/device/round60.sh b   # ~7 min, H200 only: round52.sh b (standalone-lp, xsched-hpf)
#   bash docs/device/round60.sh s   # ~3.5 min, H200 only: round52.sh s (standalone-hp)
#   bash docs/device/round60.sh c   # ~3.5 min, H200 only: round52.sh c (PyTorch + cuDNN)
#
# What ran: l on an H100, 2026-12-07 21:16-21:22 UTC (session 55; L_RUNS=4, then 6), then w on a
# second H100 lease, 21:42-21:52 (W_RUNS=4, 3, 2); data in docs/data/2026-12-07-h100-round60/,
# reliability.md "Round 60": after the native launch 1.6-4.8 us at the median (the wake-ups), the
# native launch as the stream's whole call; with both wake-ups off (w) the launch call's extra
# halved but the round trip's did not (the cost moved into the wait): the defaults stay. No H200
# came, so b, s and c did not run.
#
# From the repository root with main's bundle at .device/r/ and $OUT set; move docs/data's
# folders aside for the call.
set -u
here=$(dirname "$0")
part=${1:?a part: l, w, b, s or c}
case $part in
  b|s|c) exec bash "$here/round52.sh" "$part" ;;
  l)
    . "$here/gpu-steps.sh"
    window_part round60-l "${L_RUNS:-4}" "split="   # window-split-N.txt: each JVM's split rows
    ;;
  w)
    . "$here/gpu-steps.sh"
    window_part round60-w "${W_RUNS:-4}" "defaults=" "nowake=--idle-poll-us 1000 --decide-on-submit on"
    ;;
  *) echo "unknown part '$part' (l, w, b, s or c)" >&2; exit 2 ;;
esac
