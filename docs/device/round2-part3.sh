#!/usr/bin/env bash
set -u
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
export XSCHED_CUBLAS_LIBRARY=/usr/local/cuda/lib64
step() { local name=$1 limit=$2; shift 2; echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"; local s=$SECONDS; timeout "$limit" "$@"; echo "== $name: exit $? after $((SECONDS - s)) s"; }
step example-blas 200 "$x" example blas --duration 20 > $out/11-example-blas.txt 2>&1
step adopt-stream 40 "$x" example adopt-stream > $out/12-adopt-stream.txt 2>&1
{ step launch-comparison 150 "$home/bench/run-launch-comparison.sh" /tmp/launch; cat /tmp/launch/summary.txt; } > $out/13-launch.txt 2>&1
