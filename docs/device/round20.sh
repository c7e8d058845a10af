#!/usr/bin/env bash
# Round 20 on the NVIDIA H200 (a ran 2026-12-03 11:47 UTC, c 11:54 UTC): the batch model's
# yieldable kernels as persistent grids (-Dxsched.resnet.persistentYield=true: PersistentGrid,
# conv2d_tf32_*_persist, max_pool2d_persist).
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for each call, as rounds 14 to 19 did.
#
#   bash docs/device/round20.sh a   # correctness on the GPU, and the yieldable kernels' speed (about 5 min)
#   bash docs/device/round20.sh b   # xsched-hpf in one and two processes, without and with (about 7 min)
#   bash docs/device/round20.sh c   # ptxas -v of the carried sources, --compare-yield, then b (about 8 min)
#
# a: the GPU tests of the changed kernels (YieldStopGpuTest: the persistent twin stopped before
#    and halfway through its launch, relaunched, bit for bit; ResNetGpuTest: ResNet-50 b64's
#    forward through the persistent twins equals the plain kernels' logits; YieldablePoolGpuTest),
#    then RunResNet --compare-yield at ResNet-50 b1024 (the yieldable forward against the plain,
#    per layer) without and with persistent grids.
# b: round 18 found the two-process gap in the SMs the LP process's blocks hold, and noop_tail.py
#    the blocks of a yielded kernel that had not started among them; persistent grids leave no
#    such blocks. xsched-hpf 60 s each after 3 s: one process without and with; two processes
#    under MPS (one daemon and server) without and with.
# c: a found the persistent twins 4-15% slower per convolution than the one-tile yieldable ones
#    (ResNet-50 b1024 through an XQueue at 89.1% of the plain kernels against 96.8%). Suspected:
#    registers, what the compiler hoists out of the block's loop over tiles. It ran (2026-12-03
#    11:54 UTC) with the bundle of e6455f5, whose experimental -Dxsched.resnet.persistentBody
#    chose among three bodies of the persistent tile (inline, opaque, call): ptxas -v of each
#    generated source (carried as .device/r/resnet-BODY.cu), --compare-yield of each, then b with
#    the fastest, opaque, which is now the only body (the property is gone). As it stands: ptxas -v
#    of whatever .device/r/resnet-*.cu are carried, --compare-yield, then b.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, with_clocks, mps_and_server_*, demo_table, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a, b or c}
env_info
on=-Dxsched.resnet.persistentYield=true

# xsched-hpf 60 s after 3 s without and with persistent grids ($on), one process then two under
# MPS, into $out/1-one.txt and $out/2-two.txt.
demos_off_on() {
  {
    step demo-1p-off 150 "$x" demo --duration 60 --warmup 3 --modes xsched-hpf --output $out/one-off
    XSCHED_JAVA_OPTS=$on step demo-1p-on 150 "$x" demo --duration 60 --warmup 3 --modes xsched-hpf --output $out/one-on
  } > $out/1-one.txt 2>&1
  if command -v nvidia-cuda-mps-control > /dev/null; then
    mps_and_server_start
    {
      step demo-2p-off 150 "$x" demo --processes 2 --device-gate off --server "$sock" --duration 60 --warmup 3 --modes xsched-hpf \
        --output $out/two-off
      XSCHED_JAVA_OPTS=$on step demo-2p-on 150 "$x" demo --processes 2 --device-gate off --server "$sock" --duration 60 --warmup 3 \
        --modes xsched-hpf --output $out/two-on
    } > $out/2-two.txt 2>&1
    mps_and_server_stop
  else
    echo "skipped: no nvidia-cuda-mps-control on this host" > $out/2-two.txt
  fi
  for f in $out/1-one.txt $out/2-two.txt; do
    echo "== $f"; grep "^== demo\|^xsched-hpf\|^mode  \|where the HP time goes" -A1 $f | grep -v "^--" | head -24
  done
}

case $part in
  a)
    {
      echo "== GPU tests ($(date -u +%FT%TZ))"
      timeout 400 "$home/runtime/bin/java" --enable-native-access=ALL-UNNAMED -Dxsched.gpu.required=true \
        -cp "$(ls $home/test-lib/junit-platform-console-standalone-*.jar):$(ls $home/test-lib/*-gpu-tests.jar | paste -sd: -):$home/lib/*:$home/test-lib/*" \
        org.junit.platform.console.ConsoleLauncher execute --disable-banner --details=tree --include-tag gpu \
        --select-class dev.xsched.examples.resnet.YieldStopGpuTest --select-class dev.xsched.examples.resnet.ResNetGpuTest \
        --select-class dev.xsched.examples.resnet.YieldablePoolGpuTest
      echo "== GPU tests: exit $?"
    } > $out/1-tests.txt 2>&1
    tail -25 $out/1-tests.txt
    {
      step yield-plain 120 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --compare-yield --layers
      XSCHED_JAVA_OPTS=$on step yield-persistent 120 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --compare-yield --layers
    } > $out/2-compare-yield.txt 2>&1
    grep -v "^ *[a-z0-9_.]*conv\|^ *layer" $out/2-compare-yield.txt | tail -30
    ;;
  b)
    demos_off_on
    ;;
  c)
    for src in .device/r/resnet-*.cu; do
      echo "== $src"
      /usr/local/cuda/bin/nvcc -arch=sm_90 -cubin -o /tmp/k.cubin -Xptxas -v -x cu "$src" 2>&1 \
        | grep -A2 "entry function 'conv2d_tf32_128x128_\(yield\|persist\)'\|entry function 'conv2d_tf32_64x128_\(yield\|persist\)'" \
        | grep -v "^--"
    done > $out/0-ptxas.txt 2>&1
    cat $out/0-ptxas.txt
    XSCHED_JAVA_OPTS=$on step yield-persistent 120 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 \
      --compare-yield --layers > $out/3-compare-yield.txt 2>&1
    grep "XQueue never suspended\|sum of launches: plain" $out/3-compare-yield.txt
    demos_off_on
    ;;
  *) echo "unknown part '$part' (a, b or c)" >&2; exit 2 ;;
esac
pack_results round20-$part
