#!/usr/bin/env bash
# Round 8 on the NVIDIA H200 (2026-12-02): round 7's questions and issue 13's side-by-side run in
# one device lease of four calls (about 27 of 30 minutes). From the repository root with the bundle
# at .device/r/ and $OUT set:
#
#   bash docs/device/round8.sh a                    # ~7.5 min: GPU suite; the online model's XQueue
#                                                   # knobs, 60 s each; bench launch; bench policies
#   KERNEL_OPTS="..." bash docs/device/round8.sh b  # ~6.5 min: each job alone, 180 s each
#   KERNEL_OPTS="..." bash docs/device/round8.sh c  # ~6.5 min: native-priority and xsched-hpf, 180 s each
#   bash docs/device/round8.sh d                    # ~6.5 min: PyTorch + cuDNN, 180 s, each model alone 30 s; bench policies
#
# a: the GPU suite (the failure-path fixes made after round 6's GPU time); xsched-hpf at 60 s with
#    the defaults, then with the chunked TF32 loop (-Dxsched.resnet.tf32Chunked=true) alone and with the online model's waiter polling up to 5 ms (hpWaitSpinMicros=5000: round
#    6's slowest 1% paid a 0.42 ms host wake-up), with its XQueue at threshold 64 (a whole request
#    released at once, hpThreshold=64: its GPU span was 1.69 ms beside the batch model against 1.49
#    alone), and with both; bench launch's XQueue rows at 16/8, 64/16, 256/64 (issue 15's
#    back-to-back goal).
# b, c: the 180 s side-by-side run (issue 13). KERNEL_OPTS: the JVM options chosen from part a and
#    the chunked TF32 loop (-Dxsched.resnet.tf32Chunked=true), the same in b and c.
# d: PyTorch in the same sitting (docs/device/pytorch_scenario.py); then bench policies with each
#    kedf instance's GCs (issue 15's kedf misses: round 6's 3 were one 5-6 ms stall).
set -u
here=$(dirname "$0")
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
. "$here/gpu-steps.sh"   # step, env_info
hpf60() {  # name, JVM options
  XSCHED_JAVA_OPTS="$2" step "$1" 110 "$x" demo --duration 60 --warmup 3 --modes xsched-hpf --output "$out/$1"
}
case ${1:?a, b, c or d} in
  a)
    env_info
    step gpu-test 150 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    tail -5 $out/1-gpu-test.txt
    c=-Dxsched.resnet.tf32Chunked=true
    { hpf60 default ""
      hpf60 chunked "$c"
      hpf60 chunked-spin "$c -Dxsched.scenario.hpWaitSpinMicros=5000"
      hpf60 chunked-deep "$c -Dxsched.scenario.hpThreshold=64"
      hpf60 chunked-spin-deep "$c -Dxsched.scenario.hpWaitSpinMicros=5000 -Dxsched.scenario.hpThreshold=64"
    } > $out/2-knobs.txt 2>&1
    grep -h "^== \|^xsched-hpf \|^  xsched-hpf " $out/2-knobs.txt
    { for tb in "16 8" "64 16" "256 64"; do
        read -r t b <<< "$tb"
        step "launch-$t-$b" 60 "$x" bench launch --iterations 5000 --warmup 5000 --threshold "$t" --batch-size "$b"
      done
    } > $out/3-launch-threshold.txt 2>&1
    grep -h "^== \|XQueue/stream\|kernel, XQueue" $out/3-launch-threshold.txt
    ;;
  b)
    env_info
    XSCHED_JAVA_OPTS="${KERNEL_OPTS:-}" step demo 420 "$x" demo --duration 180 --warmup 3 \
      --modes standalone-hp,standalone-lp --output $out/demo > $out/5-demo-alone.txt 2>&1
    tail -12 $out/5-demo-alone.txt
    ;;
  c)
    env_info
    XSCHED_JAVA_OPTS="${KERNEL_OPTS:-}" step demo 420 "$x" demo --duration 180 --warmup 3 \
      --modes native-priority,xsched-hpf --output $out/demo > $out/6-demo-shared.txt 2>&1
    tail -16 $out/6-demo-shared.txt
    ;;
  d)
    env_info
    step pytorch 300 python3 "$here/pytorch_scenario.py" --duration 180 --warmup 3 --modes both-hp-priority \
      --output $out/pytorch-priority.json > $out/7-pytorch.txt 2>&1
    step pytorch-alone 120 python3 "$here/pytorch_scenario.py" --duration 30 --warmup 3 --modes resnet18-alone,resnet50-alone \
      --output $out/pytorch-alone.json >> $out/7-pytorch.txt 2>&1
    tail -20 $out/7-pytorch.txt
    step bench-policies 130 "$x" bench policies --only partition,deadline --modes native,xsched-up,xsched-kedf \
      --duration 20 --warmup 1 --output $out/policies > $out/4-bench-policies.txt 2>&1
    grep -h "misses per mode\|goal" $out/4-bench-policies.txt
    awk -F, '$6 == 1 && $1 == "xsched-kedf"' $out/policies/deadline-responses.csv
    ;;
  *) echo "unknown part '$1' (a, b, c or d)" >&2; exit 2 ;;
esac
tar -czf /tmp/round8-$1.tgz -C "$out" --exclude='*.tgz' . && mv /tmp/round8-$1.tgz "$out/"
