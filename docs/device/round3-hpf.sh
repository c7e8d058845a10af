#!/usr/bin/env bash
# Round 3 on the H200: where the batch model's 20% under xsched-hpf goes (issue 13). About 3.5
# minutes. Run from the repository root with the bundle at .device/r/ and $OUT set.
#  1. RunResNet --compare-yield: ResNet-50 b1024 plain vs its yieldable variants with a stop flag
#     that never rises (the kernels' own overhead) vs through a never-suspended XQueue (adds the
#     launch path), 3 alternating rounds, then per launch plain beside yieldable (--layers).
#  2. The same with the TF32 stop-flag check every 64 and every 1024 K slices instead of 16 (1024:
#     no ResNet-50 layer reaches a check; only the entry check is left): what the checks cost.
#  3. The demo, 30 s per mode, with the LP suspensions per HP request in the breakdown.
set -u
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
step() { local name=$1 limit=$2; shift 2; echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"; local s=$SECONDS; timeout "$limit" "$@"; echo "== $name: exit $? after $((SECONDS - s)) s"; }
{ nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,temperature.gpu --format=csv
  step yield-16 70 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --compare-yield --layers
  step yield-64 40 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --compare-yield --yield-every 64
  step yield-1024 40 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --compare-yield --yield-every 1024
} > $out/1-yield-overhead.txt 2>&1
step demo 150 "$x" demo --duration 30 --warmup 3 --modes standalone-hp,standalone-lp,xsched-hpf --output /tmp/ours > $out/2-demo.txt 2>&1
cp /tmp/ours/results.json $out/ours-results.json; cp /tmp/ours/hp-breakdown.csv /tmp/ours/hp-latencies.csv $out/ 2>/dev/null
