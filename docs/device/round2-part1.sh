#!/usr/bin/env bash
set -u
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
export XSCHED_CUBLAS_LIBRARY=/usr/local/cuda/lib64
step() { local name=$1 limit=$2; shift 2; echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"; local s=$SECONDS; timeout "$limit" "$@"; echo "== $name: exit $? after $((SECONDS - s)) s"; }
{ nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; step info 60 "$x" info -v; } > $out/1-info.txt 2>&1
XSCHED_REPORTS_DIR=/tmp/rep step gpu-test 260 "$x" gpu-test > $out/2-gpu-test.txt 2>&1
step bench-launch 80 "$x" bench launch > $out/3-bench-launch.txt 2>&1
{ step resnet50-tf32 60 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --precision tf32
  step resnet18-b1 30 "$x" java dev.xsched.examples.resnet.RunResNet resnet18 1 200; } > $out/4-resnet.txt 2>&1
{ step launch-comparison 70 "$home/bench/run-launch-comparison.sh" /tmp/launch; cat /tmp/launch/summary.txt; } > $out/5-launch.txt 2>&1
{ step gemm 60 "$home/bench/run-gemm-comparison.sh" /tmp/gemm --size 8192 --iterations 30 --warmup 5; cat /tmp/gemm/summary.txt; } > $out/6-gemm.txt 2>&1
tar -czf $out/reports.tgz -C /tmp rep launch gemm 2>/dev/null
