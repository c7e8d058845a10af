#!/usr/bin/env bash
# The GPU run behind the cooperative-yield figures of docs/preemption.md and docs/results.md (third
# run): the GPU suite, the preemption matrix, and the ResNet scenario with yieldable LP
# convolutions beside sliced ones. Runs on a GPU host from the self-contained bundle:
#
#   docs/device/cooperative.sh BUNDLE.tar.xz OUTPUT-DIR
#
# Everything lands in OUTPUT-DIR/r, and OUTPUT-DIR/run.tgz packs it with the JUnit reports.
set -u
bundle=$1
OUT=$2
mkdir -p /tmp/xb "$OUT/r" && tar -xJf "$bundle" -C /tmp/xb
x=/tmp/xb/xsched-bundle-linux-x86_64/bin/xsched
r=$OUT/r
{ date -u +%FT%TZ; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; } > $r/environment.txt 2>&1
XSCHED_REPORTS_DIR=/tmp/gpu-reports timeout 240 "$x" gpu-test > $r/gpu-test.txt 2>&1; echo "rc $?" >> $r/gpu-test.txt
grep -E "tests (successful|failed)|rc " $r/gpu-test.txt
timeout 150 "$x" bench preemption --output $r/preemption > $r/preemption.txt 2>&1; echo "rc $?" >> $r/preemption.txt
grep -v "stack guard\|execstack" $r/preemption.txt | grep "alone\|cooperative\|rc "
timeout 200 "$x" demo --duration 30 --warmup 3 --slice yield --modes standalone-hp,standalone-lp,native-priority,xsched-hpf --output $r/yield > $r/yield.txt 2>&1; echo "rc $?" >> $r/yield.txt
tail -9 $r/yield.txt | head -6
timeout 80 "$x" demo --duration 30 --warmup 3 --slice auto --modes xsched-hpf --output $r/sliced > $r/sliced.txt 2>&1; echo "rc $?" >> $r/sliced.txt
timeout 80 "$x" demo --duration 30 --warmup 3 --slice yield --hw-priority off --modes xsched-hpf --output $r/yield-gating-only > $r/yield-gating-only.txt 2>&1; echo "rc $?" >> $r/yield-gating-only.txt
grep -h "^xsched-hpf  \|^rc" $r/sliced.txt $r/yield-gating-only.txt
tar -czf "$OUT/run.tgz" -C "$OUT" r -C /tmp gpu-reports 2>/dev/null
