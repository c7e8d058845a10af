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
#   bash docs/device/round60.sh b   # ~7 min, H200 only: round52.sh b (standalone-lp, xsched-hpf)
#   bash docs/device/round60.sh s   # ~3.5 min, H200 only: round52.sh s (standalone-hp)
#   bash docs/device/round60.sh c   # ~3.5 min, H200 only: round52.sh c (PyTorch + cuDNN)
#
# What ran: nothing yet.
#
# From the repository root with main's bundle at .device/r/ and $OUT set; move docs/data's
# folders aside for the call.
set -u
here=$(dirname "$0")
part=${1:?a part: l, b, s or c}
case $part in
  b|s|c) exec bash "$here/round52.sh" "$part" ;;
  l)
    . "$here/gpu-steps.sh"
    window_part round60-l "${L_RUNS:-4}" "split="   # window-split-N.txt: each JVM's split rows
    ;;
  *) echo "unknown part '$part' (l, b, s or c)" >&2; exit 2 ;;
esac
