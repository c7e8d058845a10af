#!/usr/bin/env bash
set -u
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
step() { local name=$1 limit=$2; shift 2; echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"; local s=$SECONDS; timeout "$limit" "$@"; echo "== $name: exit $? after $((SECONDS - s)) s"; }
step demo 330 "$x" demo --duration 45 --warmup 5 --modes standalone-hp,standalone-lp,native-priority,xsched-hpf --output /tmp/ours > $out/1-demo.txt 2>&1
PYTHONUNBUFFERED=1 step pytorch 150 python3 docs/device/pytorch_scenario.py --duration 45 --warmup 5 --modes resnet18-alone,both-hp-priority --output /tmp/pytorch.json > $out/2-pytorch.txt 2>&1
XSCHED_JAVA_OPTS=-XX:NativeMemoryTracking=summary step soak 60 "$x" soak --queues 1000 --commands 1000000 > $out/3-soak.txt 2>&1
step ipc 40 "$x" bench ipc --rounds 10000 > $out/4-ipc.txt 2>&1
cp /tmp/pytorch.json $out/ 2>/dev/null; cp /tmp/ours/results.json $out/ours-results.json; tar -czf $out/ours.tgz -C /tmp ours 2>/dev/null
