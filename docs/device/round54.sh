#!/usr/bin/env bash
# Round 54 (written 2026-12-07 in session 50). Issue 15's back-to-back goals (1.10x empty, 1.01x at
# 5 us) were not met at the queue's default 16/8 in round 53; round 8 (2026-12-02) had tried wider
# windows on the host path of then. t asks again with today's queue how the ratio moves with the
# window: is the goal out of reach at any setting, or only at 16/8?
#
#   bash docs/device/round54.sh t   # ~1.5 min per two runs: bench launch at 16/8, 32/16 and 64/32,
#                                   # one JVM each, alternating settings (RUNS, default "1 2")
#   bash docs/device/round54.sh r   # ~2 min: bench launch with --rounds 9 (the back-to-back rows
#                                   # the median of nine alternating stream/XQueue pairs per JVM,
#                                   # new in this session), at 16/8 and 64/32, two JVMs each,
#                                   # alternating
#   bash docs/device/round54.sh b   # ~2 min: the same at 32/8, 16/4, 24/8 and 16/8, one JVM each:
#                                   # does the threshold or the batch size (sync points per launch)
#                                   # make the back-to-back cost?
#   bash docs/device/round54.sh p   # ~2 min: the same at 32/16 and 16/8, twice each, alternating
#
# What ran (session 50, an H100, 2026-12-07 07:51-07:55 UTC): t with RUNS="1 2", then with
# RUNS="3 4 5" in the next call; main's bundle at 99c29654, whose bench launch timed one pair of
# back-to-back rows per JVM. Then, on the next lease (an H100, 08:03-08:12 UTC) with main's bundle
# at 24e42b4d (--rounds), r, b and p in three calls. Data in docs/data/2026-12-07-h100-round54/.
# On an H200, round52.sh b, then s and c, are issue 13's sitting.
#
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, unpack_bundle, pack_results
part=${1:?a part: t, r, b or p}
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  t)
    for run in ${RUNS:-1 2}; do
      for window in 16/8 32/16 64/32; do
        t=${window%/*}; b=${window#*/}
        step launch-$t-$b-$run 60 "$x" bench launch --threshold $t --batch-size $b > $out/launch-$t-$b-$run.txt 2>&1
        echo "== $window run $run"; grep -E "kernel, |back-to-back" $out/launch-$t-$b-$run.txt | head -12
      done
    done
    ;;
  r)
    for run in 1 2; do
      for window in 16/8 64/32; do
        t=${window%/*}; b=${window#*/}
        step rounds-$t-$b-$run 90 "$x" bench launch --threshold $t --batch-size $b --rounds 9 \
          > $out/rounds-$t-$b-$run.txt 2>&1
        echo "== $window run $run"; grep -E "back-to-back" $out/rounds-$t-$b-$run.txt
      done
    done
    ;;
  b|p)
    if [ $part = b ]; then windows="32/8 16/4 24/8 16/8"; else windows="32/16 16/8 32/16 16/8"; fi
    n=0
    for window in $windows; do
      t=${window%/*}; b=${window#*/}; n=$((n + 1))
      step rounds-$n-$t-$b 90 "$x" bench launch --threshold $t --batch-size $b --rounds 9 > $out/rounds-$n-$t-$b.txt 2>&1
      echo "== $window"; grep -E "back-to-back" $out/rounds-$n-$t-$b.txt
    done
    ;;
  *) echo "unknown part '$part' (t, r, b or p)" >&2; exit 2 ;;
esac
pack_results round54-$part
