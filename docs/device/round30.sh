#!/usr/bin/env bash
# Round 30 on the NVIDIA H200 (2026-12-04): split K for the online model's small layers (SplitK,
# conv_tf32.hip's conv2d_tf32_64x64_splitk). ResNet-18 at batch 1 ends with layers of 8-26 tiles
# of 64 x 64 whose blocks each walk 72-288 K slices alone on 8-26 of the 132 SMs; round 29's demo
# measured its GPU span at 1.53 ms per request, during which the batch model is suspended (3.3% of
# the time). Split, each tile's K is shared by up to 16 blocks and the last sums their partials.
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call, as rounds 14 to 29 did.
#
#   bash docs/device/round30.sh a   # ResNet GPU tests (SplitKGpuTest among them), then RunResNet
#                                   # resnet18 1 --layers with split K and without
#
# Then issue 13's sitting, 180 s per mode after 3 s, the demo's defaults (ZGC, deciding on submit,
# persistent grids, split K), on one lease:
#
#   bash docs/device/round30.sh b   # standalone-hp, then xsched-hpf --persistent-grids off
#   bash docs/device/round30.sh c   # standalone-lp, then xsched-hpf (persistent grids, the default)
#   bash docs/device/round30.sh d   # PyTorch + cuDNN, HP on the highest-priority stream
#
# The one-tile twins met every goal of issue 13 in c and b; the persistent ones (the default) all
# but the batch model's 95%. The rest of the lease, the persistent twins without their opaque
# argument copies (ptxas: the vector and point twins then spill nothing):
#
#   bash docs/device/round30.sh e   # RunResNet --compare-yield: persistent with and without the
#                                   # copies; then xsched-hpf with persistent grids without them
#
# b's standalone-hp met a burst on the host (3.0 s stolen by the hypervisor in the mode, 125
# requests held up over 1 ms): the last of the lease's device time ran it again:
#
#   bash docs/device/round30.sh f   # standalone-hp
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, resnet_gpu_tests, demo_summaries, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a to f}
env_info
demo() {  # demo NAME FILE [options...]: one 180 s mode of the sitting
  local name=$1 file=$2; shift 2
  step $name 300 "$x" demo --duration 180 --warmup 3 --output $out/$name "$@" > $out/$file 2>&1
  demo_summaries $out/$file
}

case $part in
  a)
    resnet_gpu_tests 240 > $out/1-tests.txt 2>&1
    grep "tests successful\|tests failed\|GPU tests: exit" $out/1-tests.txt
    grep -B2 -A12 "SplitKGpuTest" $out/1-tests.txt | grep -c "✔"
    for split in true false; do
      step r18-split-$split 60 env XSCHED_JAVA_OPTS=-Dxsched.resnet.splitK=$split "$x" java \
        dev.xsched.examples.resnet.RunResNet resnet18 1 500 --layers > $out/2-r18-split-$split.txt 2>&1
      echo "== split K $split"; grep "ms/iteration" $out/2-r18-split-$split.txt
    done
    ;;
  b)
    demo alone 1-alone.txt --modes standalone-hp
    demo hpf-one-tile 2-hpf-one-tile.txt --modes xsched-hpf --persistent-grids off
    ;;
  c)
    demo lp 1-lp.txt --modes standalone-lp
    demo hpf 2-hpf.txt --modes xsched-hpf
    ;;
  d)
    step pytorch 300 python3 "$here/pytorch_scenario.py" --duration 180 --warmup 3 --modes both-hp-priority \
      --output $out/pytorch-priority.json > $out/1-pytorch.txt 2>&1
    tail -4 $out/1-pytorch.txt
    ;;
  e)
    persist=-Dxsched.resnet.persistentYield=true
    resnet_compare persistent-opaque "$persist"
    resnet_compare persistent-plain-args "$persist -Dxsched.resnet.persistOpaque=false"
    XSCHED_JAVA_OPTS=-Dxsched.resnet.persistOpaque=false demo hpf-plain-args 3-hpf-plain-args.txt --modes xsched-hpf
    ;;
  f)
    demo alone2 1-alone2.txt --modes standalone-hp
    ;;
  *) echo "unknown part '$part' (a to f)" >&2; exit 2 ;;
esac
pack_results round30-$part
