#!/usr/bin/env bash
# The GPU validation run behind docs/gpu-validation.md, docs/results.md (kernel figures) and the
# ResNet trace the simulated demo replays. Runs on a GPU host from the self-contained bundle:
#
#   docs/device/validate.sh BUNDLE.tar.xz OUTPUT-DIR
#
# Each step has its own time limit and log; a failing step does not stop the others.
set -u
bundle=$1
out=$2
mkdir -p "$out" /tmp/xb
tar -xJf "$bundle" -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64
x=$home/bin/xsched
step() {
  local name=$1 limit=$2
  shift 2
  echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"
  local start=$SECONDS
  timeout "$limit" "$@"
  local rc=$?
  echo "== $name: exit $rc after $((SECONDS - start)) s"
}
{
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1
  step info 60 "$x" info -v
} > "$out/1-info.txt" 2>&1
XSCHED_REPORTS_DIR=/tmp/gpu-reports step gpu-test 300 "$x" gpu-test > "$out/2-gpu-test.txt" 2>&1
step launch-comparison 150 "$home/bench/run-launch-comparison.sh" /tmp/launch > "$out/3-launch.txt" 2>&1
cat /tmp/launch/summary.txt /tmp/launch/environment.txt >> "$out/3-launch.txt" 2>/dev/null
{
  step trace 200 "$x" java dev.xsched.examples.resnet.TraceRecorder --batch 1024 --runs 5 --warmup 2 --out "$out/h200-resnet-trace.csv"
  step resnet50-b1024 90 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 5
  step resnet18-b1 60 "$x" java dev.xsched.examples.resnet.RunResNet resnet18 1 200
} > "$out/4-resnet.txt" 2>&1
tar -czf "$out/reports.tgz" -C /tmp gpu-reports launch 2>/dev/null
