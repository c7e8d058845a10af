#!/usr/bin/env bash
# Round 29 on the NVIDIA H200 (2026-12-04): the 128 x 128 TF32 kernels compiled once per kind of
# input load (ConvLoads: vector, point, gather; conv_tf32.hip's conv2d_tf32_128x128_<kind> and
# their _yield and _persist twins), chosen on the host, against the kernels that take every kind
# (-Dxsched.resnet.splitLoads=false). Why: ptxas (CUDA 13.0, sm_90) has the two-kind twins spill
# inside their K loop (one-tile 180/1020 bytes of spill stores/loads, persistent 172/696) where
# the one-kind twins spill little or nothing (vector 12/96 and 0/0); round 26's per-layer table put
# the twins' extra time on the memory-bound 1x1 layers, and the stride-2 downsamples and layer4's
# 7x7 1x1 layers (the point kind) cost 13-23% each.
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call, as rounds 14 to 28 did.
#
#   bash docs/device/round29.sh a   # ResNet GPU tests (one-tile and persistent twins), then
#                                   # RunResNet --compare-yield --layers: one-tile and persistent,
#                                   # each with the kernels by kind and with the two-kind ones
#
# a showed the point kind's twins still slow (13-21% over the plain kernel, one-tile) where the
# one-tile twin spilled its eight per-column offsets inside the K loop; the bundle of b keeps them
# in shared memory (ptxas: no spills left in the point kernels). Then issue 13's sitting, 180 s
# per mode after 3 s, the demo's defaults (ZGC, deciding on submit, persistent grids), three calls
# on one lease:
#
#   bash docs/device/round29.sh b   # ResNet GPU tests again, the two by-kind comparisons, then standalone-lp
#   bash docs/device/round29.sh c   # standalone-hp, then xsched-hpf (persistent grids, the default)
#   bash docs/device/round29.sh d   # xsched-hpf --persistent-grids off, then PyTorch + cuDNN with its
#                                   # online model on the highest-priority stream
#
# c's xsched-hpf met a burst on the host (6.1 s stolen by the hypervisor in the mode; 28 of the
# slowest 36 requests within 27 s), so it ran again on the next lease, the device time left:
#
#   bash docs/device/round29.sh e   # xsched-hpf (persistent grids, the default)
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, resnet_gpu_tests, resnet_compare, demo_summaries, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a, b, c, d or e}
env_info
persist=-Dxsched.resnet.persistentYield=true
either=-Dxsched.resnet.splitLoads=false

case $part in
  a)
    resnet_gpu_tests 200 > $out/1-tests.txt 2>&1
    resnet_gpu_tests 200 $persist > $out/1-tests-persistent.txt 2>&1
    grep "tests successful\|tests failed\|GPU tests: exit" $out/1-tests*.txt
    resnet_compare one-tile-by-loads ""
    resnet_compare one-tile-either "$either"
    resnet_compare persistent-by-loads "$persist"
    resnet_compare persistent-either "$persist $either"
    ;;
  b)
    resnet_gpu_tests 200 > $out/1-tests.txt 2>&1
    resnet_gpu_tests 200 $persist > $out/1-tests-persistent.txt 2>&1
    grep "tests successful\|tests failed\|GPU tests: exit" $out/1-tests*.txt
    resnet_compare one-tile-by-loads ""
    resnet_compare persistent-by-loads "$persist"
    step lp 300 "$x" demo --duration 180 --warmup 3 --modes standalone-lp --output $out/lp > $out/3-lp.txt 2>&1
    demo_summaries $out/3-lp.txt
    ;;
  c)
    step alone 300 "$x" demo --duration 180 --warmup 3 --modes standalone-hp --output $out/alone > $out/1-alone.txt 2>&1
    step hpf 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/hpf > $out/2-hpf.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  d)
    step hpf-one-tile 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --persistent-grids off \
      --output $out/hpf-one-tile > $out/1-hpf-one-tile.txt 2>&1
    demo_summaries $out/1-hpf-one-tile.txt
    step pytorch 300 python3 "$here/pytorch_scenario.py" --duration 180 --warmup 3 --modes both-hp-priority \
      --output $out/pytorch-priority.json > $out/2-pytorch.txt 2>&1
    tail -4 $out/2-pytorch.txt
    ;;
  e)
    step hpf 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/hpf > $out/1-hpf.txt 2>&1
    demo_summaries $out/1-hpf.txt
    ;;
  *) echo "unknown part '$part' (a, b, c, d or e)" >&2; exit 2 ;;
esac
pack_results round29-$part
