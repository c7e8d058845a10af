#!/usr/bin/env bash
# Round 21 on the NVIDIA H200: not run yet (the session's device time ran out in refused starts).
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call, as rounds 14 to 20 did.
#
#   bash docs/device/round21.sh a   # two processes, the LP queue gated or not, 75 s each (about 4 min)
#   bash docs/device/round21.sh b   # issue 12's ratio with the new default, 180 s each (about 7 min)
#
# a: round 19 a found the LP process's gated queue (--device-gate on) to shorten the two-process
#    online span (2.02 to 1.90 ms on average, 60 s each) with the batch job unchanged (7.000
#    it/s), as round 18 a had at 30 s (2.04 to 1.98 ms), and the demo now gates the LP queue in two
#    processes by default on that evidence. This repeats the comparison, explicitly: the two
#    settings, 75 s each after 3 s, under one MPS daemon and one external server, ungated first.
# b: issue 12's goals over the seed's duration with the two-process default (gated): xsched-hpf in
#    two processes under MPS, 180 s after 3 s, then in one process, 180 s, in the same call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, mps_and_server_*, demo_table, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a or b}
env_info
case $part in
  a)
    mps_and_server_start
    n=0
    for gate in off on; do
      n=$((n + 1))
      step demo-2p-gate-$gate 150 "$x" demo --processes 2 --server "$sock" --duration 75 --warmup 3 \
        --modes xsched-hpf --device-gate $gate --output $out/two-gate-$gate > $out/$n-two-gate-$gate.txt 2>&1
    done
    mps_and_server_stop
    for f in $out/[1-2]-*.txt; do
      echo "== $f"; demo_table $f | head -3; grep -A2 "where the HP time goes" $f | tail -1
    done
    ;;
  b)
    mps_and_server_start
    step demo-2p-default 300 "$x" demo --processes 2 --server "$sock" --duration 180 --warmup 3 --modes xsched-hpf \
      --output $out/two > $out/1-two-processes.txt 2>&1
    mps_and_server_stop
    step demo-1p 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/one > $out/2-one-process.txt 2>&1
    for f in $out/[1-2]-*.txt; do
      echo "== $f"; demo_table $f | head -3; grep -A2 "where the HP time goes" $f | tail -1
    done
    ;;
  *) echo "unknown part '$part' (a or b)" >&2; exit 2 ;;
esac
pack_results round21-$part
