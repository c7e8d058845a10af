#!/usr/bin/env bash
# Round 4 on the GPU host, multi-process part (run from the repository root with the bundle at
# .device/r/, as round3-ipc.sh): where the two-process HP time goes, and the decision latency
# with the spins. About 225 s: three 'bench ipc' runs (~5 s each), then 'demo --processes 2'
# under one external server with standalone-hp, native-priority and xsched-hpf for 60 s each
# (2 s warm-up), which now writes hp-breakdown.csv and prints the breakdown and the socket
# messages per HP request. Everything goes under $OUT; the last step tars $OUT into one file.
#
# Look for:
# - 1-ipc.txt 'A ready -> B suspended' (no spin; round 3: P50 34.9 / P99 102.3 us), 2-ipc-spin.txt
#   (the client's reader spins 100 us) and 3-ipc-spin-both.txt (the server's thread spins too):
#   the first under P50 30 / P99 100 us sets the default; 'cpu' (user+sys of both JVMs over the run)
#   says what the spins cost.
# - 4-demo-2p.txt 'where the HP time goes': xsched-hpf's 'wait for GPU' and 'GPU span' against
#   standalone-hp's (the HP process alone on the GPU) and against one process's xsched-hpf
#   (round 3: wait 0.14 ms, GPU span 1.67 ms, P50 1.93, P99 2.30 ms). 'LP suspends' 1.00 and
#   'socket messages per HP request' 2.00 / 2.00 / 2.00 mean no flapping; more means the HP
#   queue went idle between its kernels (the server now absorbs an idle and a ready that arrive
#   together). What stays in 'wait for GPU' beyond one decision (~35 us) and the LP's yield is the
#   GPU switching between the two processes' CUDA contexts (time-slicing without MPS).
# - server-cpu.txt: the server's share of one core over the demo (round 3: 0.42%).
set -u
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
TIMEFORMAT='cpu: user %U s, sys %S s, wall %R s (the command and its child JVMs)'
step() {
    local name=$1 limit=$2; shift 2
    echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"
    local s=$SECONDS
    time timeout "$limit" "$@"
    echo "== $name: exit $? after $((SECONDS - s)) s"
}
{ date -u +%FT%TZ; nvidia-smi --query-gpu=name,driver_version,uuid,compute_mode --format=csv; nproc; uptime; } > "$out/0-environment.txt" 2>&1

step ipc 30 "$x" bench ipc --rounds 10000 --output "$out/ipc" > "$out/1-ipc.txt" 2>&1
XSCHED_IPC_SPIN_US=100 step ipc-spin 30 "$x" bench ipc --rounds 10000 --output "$out/ipc-spin" > "$out/2-ipc-spin.txt" 2>&1
XSCHED_IPC_SPIN_US=100 XSCHED_SERVER_SPIN_US=100 step ipc-spin-both 30 "$x" bench ipc --rounds 10000 \
    --output "$out/ipc-spin-both" > "$out/3-ipc-spin-both.txt" 2>&1

# The scenario in two processes under one external server (no spin: as round 3 ran it).
sock_dir=$(mktemp -d /tmp/xsched-r4.XXXXXX); chmod 700 "$sock_dir"; sock=$sock_dir/xsched.sock
"$x" server --socket "$sock" --policy hpf > "$out/server.log" 2>&1 &
server=$!
for _ in $(seq 150); do [ -S "$sock" ] && break; sleep 0.1; done
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
c0=$(cpu); t0=$(date +%s.%N)
step demo-2p 215 "$x" demo --processes 2 --device-gate off --server "$sock" --duration 60 --warmup 2 \
    --modes standalone-hp,native-priority,xsched-hpf --output "$out/demo-2p" > "$out/4-demo-2p.txt" 2>&1
c1=$(cpu); t1=$(date +%s.%N)
awk -v c0="$c0" -v c1="$c1" -v hz="$(getconf CLK_TCK)" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "server JVM CPU over the whole demo --processes 2 (from /proc): %.2f%% of one core\n", (c1 - c0) / hz / (t1 - t0) * 100 }' > "$out/server-cpu.txt"
grep "server thread CPU" "$out/4-demo-2p.txt" >> "$out/server-cpu.txt"
kill "$server"; wait "$server" 2>/dev/null

cat "$out/server-cpu.txt"
grep -H "A ready\|A idle\|^cpu" "$out/1-ipc.txt" "$out/2-ipc-spin.txt" "$out/3-ipc-spin-both.txt"
grep -A4 "^mode  *HP p50" "$out/4-demo-2p.txt"
sed -n '/where the HP time goes/,$p' "$out/4-demo-2p.txt" | grep -v "^wrote\|could not draw"
tar -czf "/tmp/round4-ipc.tgz" -C "$out" . && mv /tmp/round4-ipc.tgz "$out/round4-ipc.tgz"
