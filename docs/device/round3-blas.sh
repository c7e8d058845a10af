#!/usr/bin/env bash
# Round 3 on the H200 (about 4 minutes; needs the bundle at .device/r/, as round2-part*.sh):
#  1. issue 14 (about 2.6 min): `example blas` with the GEMMs in column panels (4, 8 and 16 per 8192^3
#     GEMM, about 0.67, 0.33 and 0.17 ms each) at 1 and 2 panels in flight on the LP XQueue, beside one
#     run of each baseline (standalone-hp, standalone-lp, native-priority); 15 s per mode. Look at the
#     table's "xsched-hpf pP tT" rows: p99/alone <= 1.2x with LP/alone >= 95% is the goal; the
#     example's defaults become the best row.
#  2. issue 15 (about 1.5 min): `bench policies`, only the up partition and the kedf deadline benchmarks,
#     each against native (20 s per configuration): up's "% of native" (goal >= 97%) and kedf's misses
#     (goal 0; 2 of 3,200 on 2026-12-01 before kedf's drain hand-over and the share jobs' threshold 3).
set -u
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
export XSCHED_CUBLAS_LIBRARY=/usr/local/cuda/lib64
step() { local name=$1 limit=$2; shift 2; echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"; local s=$SECONDS; timeout "$limit" "$@"; echo "== $name: exit $? after $((SECONDS - s)) s"; }
step example-blas-panels 230 "$x" example blas --duration 15 --warmup 1 \
  --modes standalone-hp,standalone-lp,native-priority,xsched-hpf --panels 4,8,16 --threshold 1,2 > $out/1-example-blas-panels.txt 2>&1
step bench-policies 150 "$x" bench policies --only partition,deadline --modes native,xsched-up,xsched-kedf \
  --duration 20 --warmup 1 --output $out/policies > $out/2-bench-policies.txt 2>&1
