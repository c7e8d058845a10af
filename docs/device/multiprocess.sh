#!/usr/bin/env bash
# The GPU-host run behind the multi-process figures of docs/multiprocess.md: the decision latency
# across processes with the server in a process of its own, and the server's CPU use while it
# works. Runs from the self-contained bundle:
#
#   docs/device/multiprocess.sh BUNDLE.tar.xz OUTPUT-DIR
#
# Everything lands in OUTPUT-DIR/r.
set -u
bundle=$1
OUT=$2
mkdir -p /tmp/xb "$OUT/r" && tar -xJf "$bundle" -C /tmp/xb
x=/tmp/xb/xsched-bundle-linux-x86_64/bin/xsched
r=$OUT/r
sock_dir=$(mktemp -d /tmp/xsched-mp.XXXXXX) && chmod 700 "$sock_dir"
sock=$sock_dir/xsched.sock
{ date -u +%FT%TZ; nvidia-smi --query-gpu=name,driver_version,uuid --format=csv; nproc; } > $r/environment.txt 2>&1

# The server in its own process; its CPU time is read from /proc before and after the load.
"$x" server --socket "$sock" --policy hpf > $r/server.log 2>&1 &
server=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
cpu() { awk '{print $14 + $15}' /proc/$server/stat; }
ticks=$(getconf CLK_TCK)
c0=$(cpu); t0=$(date +%s.%N)
timeout 300 "$x" bench ipc --rounds 20000 --warmup 2000 --socket "$sock" --output $r/ipc-external > $r/ipc-external.txt 2>&1
echo "rc $?" >> $r/ipc-external.txt
c1=$(cpu); t1=$(date +%s.%N)
echo "server CPU during bench ipc: $(echo "($c1 - $c0) / $ticks / ($t1 - $t0) * 100" | bc -l | cut -c1-6) % of one core" | tee $r/server-cpu.txt
grep -v "stack guard\|execstack" $r/ipc-external.txt

# The same with the server as a thread of client A's JVM (the default of 'xsched bench ipc').
timeout 300 "$x" bench ipc --rounds 20000 --warmup 2000 --output $r/ipc-in-process > $r/ipc-in-process.txt 2>&1
echo "rc $?" >> $r/ipc-in-process.txt
grep -v "stack guard\|execstack" $r/ipc-in-process.txt | tail -4

# Server CPU while the scenario runs in two processes under it (idle between modes included).
if "$x" demo --help 2>/dev/null | grep -q -- "--processes"; then
  c0=$(cpu); t0=$(date +%s.%N)
  timeout 400 "$x" demo --processes 2 --device-gate off --server "$sock" --duration 30 --warmup 3 \
      --modes standalone-hp,standalone-lp,native,native-priority,xsched-hpf --output $r/demo-2p > $r/demo-2p.txt 2>&1
  echo "rc $?" >> $r/demo-2p.txt
  c1=$(cpu); t1=$(date +%s.%N)
  echo "server CPU during demo --processes 2: $(echo "($c1 - $c0) / $ticks / ($t1 - $t0) * 100" | bc -l | cut -c1-6) % of one core" | tee -a $r/server-cpu.txt
  tail -12 $r/demo-2p.txt
fi
# The single-process baseline in the same sitting (the goal compares --processes 2 with it).
timeout 200 "$x" demo --duration 30 --warmup 3 --modes standalone-hp,xsched-hpf --output $r/demo-1p > $r/demo-1p.txt 2>&1
echo "rc $?" >> $r/demo-1p.txt
tail -8 $r/demo-1p.txt
kill $server; wait $server 2>/dev/null
tar -czf "$OUT/run.tgz" -C "$OUT" r
