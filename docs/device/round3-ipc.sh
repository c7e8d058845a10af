#!/usr/bin/env bash
# Round 3 on the GPU host, multi-process part (run from the repository root with the bundle at
# .device/r/, as round2-part2.sh): the decision latency across processes after the hand-offs were
# cut (docs/multiprocess.md), with and without the reader's bounded spin and with the server in a
# JVM of its own; then the scenario in two processes under one external server (native,
# native-priority, xsched-hpf; 45 s each) with the server's CPU share per mode, and the
# single-process xsched-hpf beside it, which the goal compares against. About 7 minutes.
#
# Look for: 1-ipc.txt 'A ready -> B suspended' P50 < 30 us, P99 < 100 us (2-ipc-spin.txt: the same
# with XSCHED_IPC_SPIN_US=100); 4-demo-2p.txt xsched-hpf HP P99 within 1.1x and LP it/s within 2%
# of 5-demo-1p.txt's xsched-hpf; 'server thread CPU' below 5% of one core (also server-cpu.txt).
set -u
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
step() { local name=$1 limit=$2; shift 2; echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"; local s=$SECONDS; timeout "$limit" "$@"; echo "== $name: exit $? after $((SECONDS - s)) s"; }
{ date -u +%FT%TZ; nvidia-smi --query-gpu=name,driver_version,uuid --format=csv; nproc; uptime; } > $out/0-environment.txt 2>&1

step ipc 45 "$x" bench ipc --rounds 10000 --output $out/ipc > $out/1-ipc.txt 2>&1
XSCHED_IPC_SPIN_US=100 step ipc-spin 45 "$x" bench ipc --rounds 10000 --output $out/ipc-spin > $out/2-ipc-spin.txt 2>&1

# The server in a JVM of its own, as deployed: bench ipc against it, then the scenario under it.
sock_dir=$(mktemp -d /tmp/xsched-r3.XXXXXX); chmod 700 "$sock_dir"; sock=$sock_dir/xsched.sock
"$x" server --socket "$sock" --policy hpf > $out/server.log 2>&1 &
server=$!
for _ in $(seq 150); do [ -S "$sock" ] && break; sleep 0.1; done
step ipc-external 45 "$x" bench ipc --rounds 10000 --socket "$sock" --output $out/ipc-external > $out/3-ipc-external.txt 2>&1

# The server's CPU from /proc over the whole demo (idle stretches between modes included), beside
# the per-mode figures the demo reads through the protocol over each measured window.
cpu() { awk '{print $14 + $15}' /proc/$server/stat; }
c0=$(cpu); t0=$(date +%s.%N)
step demo-2p 300 "$x" demo --processes 2 --device-gate off --server "$sock" --duration 45 --warmup 5 \
    --modes native,native-priority,xsched-hpf --output $out/demo-2p > $out/4-demo-2p.txt 2>&1
c1=$(cpu); t1=$(date +%s.%N)
awk -v c0=$c0 -v c1=$c1 -v hz=$(getconf CLK_TCK) -v t0=$t0 -v t1=$t1 'BEGIN { printf "server JVM CPU over the whole demo --processes 2 (from /proc): %.2f%% of one core\n", (c1 - c0) / hz / (t1 - t0) * 100 }' > $out/server-cpu.txt
grep "server thread CPU" $out/4-demo-2p.txt >> $out/server-cpu.txt
kill $server; wait $server 2>/dev/null

step demo-1p 120 "$x" demo --duration 45 --warmup 5 --modes xsched-hpf --output $out/demo-1p > $out/5-demo-1p.txt 2>&1
cat $out/server-cpu.txt; grep -H "A ready\|A idle" $out/1-ipc.txt $out/2-ipc-spin.txt $out/3-ipc-external.txt
grep -H -A4 "^mode  *HP p50" $out/4-demo-2p.txt $out/5-demo-1p.txt
tar -czf $out/demo.tgz -C $out demo-2p demo-1p 2>/dev/null
