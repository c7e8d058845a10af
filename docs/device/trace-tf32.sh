#!/usr/bin/env bash
# Records the kernel trace of the TF32 convolutions that the simulated demo replays
# (docs/simulator.md), on the NVIDIA H200, from the repository root with the bundle at .device/r/
# and $OUT set (one device call, about a minute):
#   bash docs/device/trace-tf32.sh
# Then commit $OUT/h200-resnet-trace-tf32.csv unchanged as
#   examples/src/main/resources/dev/xsched/examples/scenario/h200-resnet-trace-tf32.csv
# (the simulated demo then replays it by default; RecordedTraceTest checks its rows against the
# demo's launches), and the trace with its log under docs/data/<date>-h200-trace-tf32/.
# What to look for in trace-tf32.txt (the recording of 2026-12-04, round 31 a, docs/simulator.md):
# "convolutions in tf32 (the device's default)", resnet50 batch 1024 (not cut down) about 123 ms
# per forward pass, its yieldable convolutions at about 98% of the plain ones' speed, resnet18
# batch 1 about 0.43 ms per pass; "trace: 158 launches (79 plain, 79 yieldable)". ResNet-18's
# "ms in kernels" (the sum of its launches' medians) came out 0.85 ms, twice its pass, in that
# recording; since the launch timer holds each timed pass until it is enqueued (PassHold), its
# summary should say "launches timed in passes held until the host had enqueued them" and print no
# "warning: ... add up to" line: with the warning, do not commit the trace (docs/simulator.md).
set -u
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
x=/tmp/xb/xsched-bundle-linux-x86_64/bin/xsched
step() { local name=$1 limit=$2; shift 2; echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"; local s=$SECONDS; timeout "$limit" "$@"; echo "== $name: exit $? after $((SECONDS - s)) s"; }
{
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1
  step trace-tf32 200 "$x" java dev.xsched.examples.resnet.TraceRecorder --batch 1024 --runs 5 --warmup 2 \
    --precision tf32 --out "$out/h200-resnet-trace-tf32.csv"
} > "$out/trace-tf32.txt" 2>&1
