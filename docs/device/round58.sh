#!/usr/bin/env bash
# Round 58 (written 2026-12-07 in session 52). Round 57 (an H100) ran bench launch's back-to-back
# rows at 64/32 with a 500 us drain budget at 1.002-1.004x the stream's time for 5 us kernels (issue
# 15's goal 1.01x; XSched's fixed 16/8 1.054-1.068x), so that window is now XQueueConfig.defaults'
# (and AutoXQueues', and bench launch's without options). g is the GPU suite with it (every test
# that builds its queue from the defaults now runs an adaptive window); w compares, in alternating
# order, bench launch at the new defaults and at XSched's fixed 16/8, three times each.
#
#   bash docs/device/round58.sh g   # ~1 min: the GPU suite (round49.sh g)
#   bash docs/device/round58.sh w   # ~3 min: bench launch --rounds 9 at the defaults and with
#                                   # --threshold 16 --batch-size 8 --drain-budget-us 0, alternating
#                                   # (W_RUNS=N: N times each instead of 3)
#
# What ran: nothing yet. Session 52 had it ready from 13:38 UTC (bundle of bba59922); every call
# until 15:07 UTC got no machine, H100 or H200, and the failed starts spent the device time. It
# comes first on the next lease.
#
# From the repository root with main's bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
part=${1:?a part: g or w}
case $part in
  g) exec bash "$here/round49.sh" g ;;
  w)
    . "$here/gpu-steps.sh"
    window_part round58-w "${W_RUNS:-3}" "defaults=" "fixed-16-8=--threshold 16 --batch-size 8 --drain-budget-us 0"
    ;;
  *) echo "unknown part '$part' (g or w)" >&2; exit 2 ;;
esac
