#!/usr/bin/env bash
# Round 27 on the NVIDIA H200 (2026-12-04): issue 13's sitting, 180 s per mode, with the question
# round 26 left: the persistent twins cost the batch model 8.1% of the plain kernels' rate and the
# one-tile-per-block twins 4.3% (RunResNet --compare-yield), and round 20 (60 s, before deciding on
# the submitting thread) saw the same online P99 with either; so xsched-hpf with the demo's
# defaults (persistent grids) beside xsched-hpf with `--persistent-grids off`, both deciding on the
# submitting thread, in one sitting with both models alone and PyTorch + cuDNN with its online
# model on the highest-priority stream.
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call, as rounds 14 to 26 did. Each part stays under the 10-minute limit of a call;
# run them back to back.
#
#   bash docs/device/round27.sh a   # standalone-hp, then xsched-hpf with the defaults (persistent grids), 180 s each
#   bash docs/device/round27.sh b   # xsched-hpf with one-tile-per-block twins, then standalone-lp, 180 s each
#   bash docs/device/round27.sh c   # PyTorch both-hp-priority, then our native-priority, 180 s each
#
# Part a's xsched-hpf had its P99.9 and maximum (7.62, 9.97 ms) from young collections of G1, the
# JVM's default collector: each of the 4 slowest requests overlapped one pause of 6-8 ms (the
# breakdown's GCs), one every 30 s or so, and neither standalone-hp nor native-priority collected
# at all in 180 s. So, on the next lease, the same two modes with the generational ZGC (pauses
# under a millisecond; JDK 25's ZGC is generational only), each with its GC log:
#
#   bash docs/device/round27.sh d   # standalone-hp, then xsched-hpf, 180 s each, -XX:+UseZGC
#
# Ran: a 12:18 UTC, b 12:25, c 12:31 (one lease, the bundle of main at 9cb79c7), d 12:41 (the next
# lease, the same bundle). Since d the launchers choose ZGC for the demo themselves.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, demo_summaries, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a, b, c or d}
env_info

case $part in
  a)
    step alone 300 "$x" demo --duration 180 --warmup 3 --modes standalone-hp --output $out/alone > $out/1-alone.txt 2>&1
    step hpf 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/hpf > $out/2-hpf.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  b)
    step hpf-one-tile 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --persistent-grids off \
      --output $out/hpf-one-tile > $out/1-hpf-one-tile.txt 2>&1
    step lp 300 "$x" demo --duration 180 --warmup 3 --modes standalone-lp --output $out/lp > $out/2-lp.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  c)
    step pytorch 300 python3 "$here/pytorch_scenario.py" --duration 180 --warmup 3 --modes both-hp-priority \
      --output $out/pytorch-priority.json > $out/1-pytorch.txt 2>&1
    tail -4 $out/1-pytorch.txt
    step native-priority 300 "$x" demo --duration 180 --warmup 3 --modes native-priority --output $out/native-priority \
      > $out/2-native-priority.txt 2>&1
    demo_summaries $out/2-*.txt
    ;;
  d)
    for m in standalone-hp xsched-hpf; do
      step $m-zgc 300 env XSCHED_JAVA_OPTS="-XX:+UseZGC -Xlog:gc,gc+phases:file=$out/gc-$m.log" "$x" demo --duration 180 \
        --warmup 3 --modes $m --output $out/$m-zgc > $out/1-$m-zgc.txt 2>&1
    done
    demo_summaries $out/1-*.txt
    for m in standalone-hp xsched-hpf; do
      echo "$m: $(grep -c 'Pause' $out/gc-$m.log) pauses, longest $(grep -o 'Pause.* [0-9.]*ms' $out/gc-$m.log | grep -o '[0-9.]*ms$' | sort -n | tail -1), $(grep -c 'Allocation Stall' $out/gc-$m.log) allocation stalls"
    done
    ;;
  *)
    echo "unknown part $part (a, b, c or d)" >&2; exit 2
    ;;
esac
pack_results round27-$part
