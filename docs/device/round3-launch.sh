#!/usr/bin/env bash
# Round 3, launch overheads (issue 15, "Overheads"), on the NVIDIA GPU host in about 2 minutes:
# `xsched bench launch` (a stream's round trip and throughput, then the XQueue rows: the round
# trip, launch then synchronize, of an empty and a 20 us kernel through a stream and through an
# XQueue of the same priority, and back-to-back launches of an empty and a 5 us kernel, XQueue
# time over stream time), twice, then the launch comparison against C, six alternating rounds
# (each Java round prints the XQueue rows again: 8 samples of them in all).
# Goals: XQueue round trip at most +3 us P50 and +10 us P99 over the stream; back-to-back at
# most 1.10x (empty) and 1.01x (5 us); Java at least 95% of C's throughput (the summary's
# "throughput" ratio, means of six rounds).
set -u
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
step() { local name=$1 limit=$2; shift 2; echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"; local s=$SECONDS; timeout "$limit" "$@"; echo "== $name: exit $? after $((SECONDS - s)) s"; }
{ nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv; nproc; } > $out/0-host.txt 2>&1
{ step bench-launch-1 40 "$x" bench launch; step bench-launch-2 40 "$x" bench launch; } > $out/1-bench-launch.txt 2>&1
{ step launch-comparison 120 "$home/bench/run-launch-comparison.sh" /tmp/launch; cat /tmp/launch/summary.txt; } > $out/2-launch.txt 2>&1
cp /tmp/launch/results.jsonl $out/launch-results.jsonl 2>/dev/null
