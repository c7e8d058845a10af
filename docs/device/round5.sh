#!/usr/bin/env bash
# Round 5 on the NVIDIA H200: first whether the chunked TF32 loop (97.1% of the plain kernels'
# speed in round 4, against 93.0% for the default loop) sees its stop flag at all, then, only if
# it does, issue 13's side-by-side run with it. From the repository root with the bundle at
# .device/r/ and $OUT set (the device tool's conventions):
#
#   bash docs/device/round5.sh a     # ~3 min: GPU suite; the ResNet GPU tests with the chunked loop
#   bash docs/device/round5.sh b     # ~4 min: the HP model alone with a warm and with a cold L2, and
#                                    # beside the batch model under xsched-hpf, 60 s each
#   KERNEL_OPTS=-Dxsched.resnet.tf32Chunked=true bash docs/device/round4.sh b   # if a passed
#   KERNEL_OPTS=-Dxsched.resnet.tf32Chunked=true bash docs/device/round4.sh c
#
# What to look for in a: 1-gpu-test.txt passes (YieldStopGpuTest included: the default loop stops
# at its entry and halfway through); 2-chunked.txt: YieldStopGpuTest with the chunked loop. If
# its "before the launch" case fails, the late entry decision is broken (the entry-late trial of
# round 3 and the chunked loop both decide the entry at the first checkpoint); if only the
# "halfway" case fails, the checkpoints are; if both pass but CooperativeYieldGpuTest still fails,
# that test's window (a flag raised only while a 1-block probe is pending) is what these faster
# kernels miss, and the test needs a longer window rather than the kernel a fix.
# What to look for in b: 3-cache.txt, the GPU span ('where the HP time goes') of standalone-hp
# with a cold cache (-Dxsched.scenario.hpCacheFlushMiB=256: 256 MiB written before each request)
# against the warm one and against xsched-hpf's. Round 4: warm alone 1.46 ms mean, beside the batch
# model 1.66 ms (slowest 1%: 1.48 against 2.01). If the cold span is about xsched-hpf's, the L2 is
# the HP tail's cause, and the P99 goal of 1.1x a warm standalone is out of any scheduler's reach.
set -u
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
. "$(dirname "$0")/gpu-steps.sh"   # step, resnet_gpu_tests
case ${1:?a or b} in
  a)
    { date -u +%FT%TZ; nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv; } > $out/0-env.txt 2>&1
    step gpu-test 150 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    resnet_gpu_tests 100 -Dxsched.resnet.tf32Chunked=true > $out/2-chunked.txt 2>&1
    grep -h "tests successful\|tests failed\|✘\|^== " $out/1-gpu-test.txt $out/2-chunked.txt
    ;;
  b)
    { date -u +%FT%TZ; nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv; } > $out/0-env.txt 2>&1
    {
      step warm 200 "$x" demo --duration 60 --warmup 3 --modes standalone-hp,xsched-hpf --output $out/warm
      XSCHED_JAVA_OPTS=-Dxsched.scenario.hpCacheFlushMiB=256 step cold 110 "$x" demo --duration 60 --warmup 3 \
        --modes standalone-hp --output $out/cold
    } > $out/3-cache.txt 2>&1
    grep -h -A3 "slowest 1%\|^mode  " $out/3-cache.txt
    ;;
  *) echo "unknown part '$1' (a or b; the side-by-side run is docs/device/round4.sh b and c)" >&2; exit 2 ;;
esac
tar -czf "$out/round5-$1.tgz" -C "$out" --exclude='*.tgz' . 2>/dev/null
