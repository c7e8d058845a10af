#!/usr/bin/env bash
# Round 24 on the NVIDIA H200 (2026-12-03): the demo's defaults (round 23: deciding on the
# submitting thread, persistent grids in one process, the JIT compiling early) measured 180 s per
# mode in one sitting beside both models alone, native-priority, PyTorch + cuDNN with the online
# model on the highest-priority stream (issue 13's comparison), and the two-process run (issue 12).
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call, as rounds 14 to 23 did. Run a, b and c back to back (one lease): each call
# stays under the 10-minute limit of one call.
#
#   bash docs/device/round24.sh a   # standalone-hp, then xsched-hpf with the defaults, 180 s each (about 7 min)
#   bash docs/device/round24.sh b   # standalone-lp, then native-priority, 180 s each
#   bash docs/device/round24.sh c   # PyTorch both-hp-priority, then xsched-hpf in two processes under MPS, 180 s each
#
# Parts a and b ran on one lease (18:40-18:54 UTC) whose host woke the open-loop client late
# (62-88 requests per run held up over 1 ms, against 6-10 in round 23), so the rest changed: the
# persistent twins' dynamic tile assignment (-Dxsched.resnet.persistDynamic=true) checked and
# measured, and standalone-hp beside xsched-hpf again with the client spinning 4 ms before each
# arrival instead of 0.3 ms (-Dxsched.scenario.arrivalSpinMicros=4000, both runs), on the next lease:
#
#   bash docs/device/round24.sh dyn-check     # the ResNet GPU tests with dynamic tiles, --compare-yield static and
#                                              # dynamic, then standalone-hp with the 4 ms spin (about 5 min)
#   bash docs/device/round24.sh dyn-hpf MODE  # xsched-hpf with the 4 ms spin, the persistent twins' tiles MODE
#                                              # (static or dynamic, after dyn-check's rates)
#   bash docs/device/round24.sh lp            # standalone-lp, 180 s (what the device time left allowed; PyTorch was not run)
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, mps_and_server_*, demo_summaries, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a, b or c}
env_info

case $part in
  a)
    step alone 300 "$x" demo --duration 180 --warmup 3 --modes standalone-hp --output $out/alone > $out/1-alone.txt 2>&1
    step hpf 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/hpf > $out/2-hpf.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  b)
    step lp 300 "$x" demo --duration 180 --warmup 3 --modes standalone-lp --output $out/lp > $out/1-lp.txt 2>&1
    step native-priority 300 "$x" demo --duration 180 --warmup 3 --modes native-priority --output $out/native-priority \
      > $out/2-native-priority.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  c)
    step pytorch 300 python3 "$here/pytorch_scenario.py" --duration 180 --warmup 3 --modes both-hp-priority \
      --output $out/pytorch-priority.json > $out/1-pytorch.txt 2>&1
    tail -4 $out/1-pytorch.txt
    command -v nvidia-cuda-mps-control > /dev/null || { echo "no nvidia-cuda-mps-control on this host" >&2; exit 1; }
    mps_and_server_start
    [ -S "$sock" ] || { echo "the server's socket did not appear: $(cat $out/server.log)" >&2; mps_and_server_stop; exit 1; }
    step two 300 "$x" demo --processes 2 --server "$sock" --duration 180 --warmup 3 --modes xsched-hpf \
      --output $out/two > $out/2-two.txt 2>&1
    mps_and_server_stop
    demo_summaries $out/2-*.txt
    ;;
  dyn-check)
    resnet_gpu_tests 200 -Dxsched.resnet.persistentYield=true -Dxsched.resnet.persistDynamic=true > $out/1-tests.txt 2>&1
    grep "tests successful\|tests failed\|GPU tests: exit" $out/1-tests.txt
    {
      for mode in false true; do
        XSCHED_JAVA_OPTS="-Dxsched.resnet.persistentYield=true -Dxsched.resnet.persistDynamic=$mode" step persist-dynamic-$mode 120 \
          "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --compare-yield --layers
      done
    } > $out/2-compare.txt 2>&1
    grep "^== persist\|XQueue never suspended\|sum of launches: plain" $out/2-compare.txt
    XSCHED_JAVA_OPTS=-Dxsched.scenario.arrivalSpinMicros=4000 step alone 300 "$x" demo --duration 180 --warmup 3 \
      --modes standalone-hp --output $out/alone > $out/3-alone.txt 2>&1
    demo_summaries $out/3-alone.txt
    ;;
  dyn-hpf)
    case ${2:-} in static) dynamic=false ;; dynamic) dynamic=true ;; *) echo "dyn-hpf takes static or dynamic" >&2; exit 2 ;; esac
    XSCHED_JAVA_OPTS="-Dxsched.scenario.arrivalSpinMicros=4000 -Dxsched.resnet.persistDynamic=$dynamic" step hpf 300 "$x" demo \
      --duration 180 --warmup 3 --modes xsched-hpf --output $out/hpf > $out/1-hpf.txt 2>&1
    demo_summaries $out/1-hpf.txt
    ;;
  lp)
    step lp 250 "$x" demo --duration 180 --warmup 3 --modes standalone-lp --output $out/lp > $out/1-lp.txt 2>&1
    demo_summaries $out/1-lp.txt
    ;;
  pytorch)
    step pytorch 300 python3 "$here/pytorch_scenario.py" --duration 180 --warmup 3 --modes both-hp-priority \
      --output $out/pytorch-priority.json > $out/1-pytorch.txt 2>&1
    tail -4 $out/1-pytorch.txt
    ;;
  *) echo "unknown part '$part' (a, b, c, dyn-check, dyn-hpf, lp or pytorch)" >&2; exit 2 ;;
esac
pack_results round24-$part
