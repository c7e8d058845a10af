#!/usr/bin/env bash
# The GPU runs behind docs/reliability.md: the soak (1000 XQueues, 10 million commands, Native
# Memory Tracking on), the launch benchmark with its XQueue rows, and the GPU suite, whose last JVM
# is the XQueue fault test. Runs on a GPU host from the self-contained bundle:
#
#   docs/device/reliability.sh BUNDLE.tar.xz OUTPUT-DIR
#
# Each step has its own time limit and log; a failing step does not stop the others.
set -u
bundle=$1
out=$2
mkdir -p "$out" /tmp/xr
tar -xJf "$bundle" -C /tmp/xr
home=/tmp/xr/xsched-bundle-linux-x86_64
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
  step info 60 "$x" info
} > "$out/1-info.txt" 2>&1
XSCHED_JAVA_OPTS=-XX:NativeMemoryTracking=summary step soak 900 "$x" soak --queues 1000 --commands 10000000 \
  > "$out/2-soak.txt" 2>&1
step bench-launch 300 "$x" bench launch > "$out/3-bench-launch.txt" 2>&1
XSCHED_REPORTS_DIR=/tmp/xr-reports step gpu-test 400 "$x" gpu-test > "$out/4-gpu-test.txt" 2>&1
tar -czf "$out/reports.tgz" -C /tmp xr-reports 2>/dev/null
