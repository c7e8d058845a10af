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
#   bash docs/device/round58.sh gc  # ~2 min: bench launch --rounds 9 at the defaults with a GC log,
#                                   # G1 (bench launch's collector) and ZGC alternating, twice each:
#                                   # is the one 6-10 ms round trip of every XQueue empty row a pause?
#   bash docs/device/round58.sh x   # ~3 min: the defaults against --threshold 256 --batch-size 128
#                                   # (the same budget), alternating, three times each (X_RUNS=N)
#
# What ran (session 53, 2026-12-07): after session 52's seventeen calls without a machine, g and
# w at 16:32 UTC on an H100 (bundle of e8f2ca62), w again at 16:37 in the same lease (W_RUNS=3);
# then gc and x at 16:50 on a second H100 lease (typed into .device/call.sh as the same commands,
# written here after). Data:
# docs/data/2026-12-07-h100-round58/ (its README); discussion: docs/reliability.md, round 58.
#
# From the repository root with main's bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
part=${1:?a part: g, w, gc or x}
case $part in
  g) exec bash "$here/round49.sh" g ;;
  w)
    . "$here/gpu-steps.sh"
    window_part round58-w "${W_RUNS:-3}" "defaults=" "fixed-16-8=--threshold 16 --batch-size 8 --drain-budget-us 0"
    ;;
  gc)
    . "$here/gpu-steps.sh"
    unpack_bundle   # sets $out, $home, $x
    env_info
    for run in 1 2; do
      for collector in g1 zgc; do
        opts=""; [ $collector = zgc ] && opts=-XX:+UseZGC
        XSCHED_JAVA_OPTS="$opts -Xlog:gc*:file=$out/$collector-$run-gc.log" \
          step bench-$collector-$run 90 "$x" bench launch --rounds 9 > $out/bench-$collector-$run.txt 2>&1
        echo "== $collector $run"; grep -E "back-to-back|empty kernel, |20 us kernel, (stream|XQueue) " $out/bench-$collector-$run.txt
      done
    done
    pack_results gc
    ;;
  x)
    . "$here/gpu-steps.sh"
    window_part round58-x "${X_RUNS:-3}" "defaults=" "t256=--threshold 256 --batch-size 128"
    ;;
  *) echo "unknown part '$part' (g, w, gc or x)" >&2; exit 2 ;;
esac
