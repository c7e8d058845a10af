#!/usr/bin/env bash
# Round 10 on the NVIDIA H200: the 180 s side by side with round 9's defaults (issue 13), the
# scheduling thread's event spin on the decision paths (issues 12 and 15), kedf with JFR (issue 15).
# From the repository root with the bundle at .device/r/ and $OUT set; three calls, about 22 of the
# session's 30 device minutes:
#
#   bash docs/device/round10.sh a   # ~6 min: GPU suite; bench ipc and bench launch with and without
#                                   #   the spins; PyTorch 180 s (HP on the highest-priority stream)
#   bash docs/device/round10.sh b   # ~8 min: each job alone, 180 s each; kedf x3 with JFR
#   bash docs/device/round10.sh c   # ~6.5 min: native-priority and xsched-hpf, 180 s each
#   bash docs/device/round10.sh d   # ~3.5 min: xsched-hpf once more, 180 s, with the SM clock
#
# As run on 2026-12-02 10:30-10:57 UTC: a, b, c, then d (inline, the same commands) when c's
# xsched-hpf P99 (3.45 ms) contradicted round 9's; the device was handed back between b and c, so
# c and d ran on a second lease. b's demo CSVs and kedf-3.jfr did not come back (the per-call file
# limit); the scripts since keep the tarball first.
#
# a: the GPU suite (the yield GPU tests read block states and the stop latch through shared
#    helpers since fddfde4); `bench ipc` with no spin, with the reader's and the server's (round 4:
#    30.7 / 121 us), and with the scheduling thread's as well (XSCHED_SCHEDULER_SPIN_US, new: the
#    last wake-up on the path), twice each, alternating; `bench launch` with the scheduling thread
#    spinning or not, three times each, alternating (the XQueue round trip posts a ready and an
#    idle event per request: a blocked scheduling thread costs the poster a futex wake each);
#    PyTorch's side of issue 13 in the same sitting as b and c.
# b, c: issue 13's side by side, 180 s per mode, the defaults of round 9 (yieldable pools, chunked
#    TF32 loop, online XQueue at threshold 64 polling 5 ms); c samples the SM clock.
# b also records kedf three times with JFR (dev.xsched.* events) and the SM clock, to read what
#    happens in a window where every task runs late: jfr print --events 'dev.xsched.*' b/kedf-N.jfr
set -u
here=$(dirname "$0")
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
. "$here/gpu-steps.sh"   # step, env_info, with_clocks, pack_results
case ${1:?a part, a to d} in
  a)
    env_info
    step gpu-test 150 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    tail -5 $out/1-gpu-test.txt
    for n in 1 2; do
      for spins in none reader-server all; do
        case $spins in
          none) env= ;;
          reader-server) env="XSCHED_IPC_SPIN_US=100 XSCHED_SERVER_SPIN_US=100" ;;
          all) env="XSCHED_IPC_SPIN_US=100 XSCHED_SERVER_SPIN_US=100 XSCHED_SCHEDULER_SPIN_US=100" ;;
        esac
        ( if [ -n "$env" ]; then export $env; fi
          step ipc-$spins-$n 30 "$x" bench ipc --rounds 10000 --output "$out/ipc-$spins-$n" )
      done
    done > $out/2-ipc.txt 2>&1
    grep -h "^== ipc.*(\|^spins\|^A ready\|^A idle" $out/2-ipc.txt
    for n in 1 2 3; do
      for spin in 0 100; do
        XSCHED_SCHEDULER_SPIN_US=$spin step launch-spin$spin-$n 40 "$x" bench launch
      done
    done > $out/3-launch.txt 2>&1
    grep -h "^== launch.*(\|round trip\|back.to.back" $out/3-launch.txt | head -60
    step pytorch 300 python3 "$here/pytorch_scenario.py" --duration 180 --warmup 3 --modes both-hp-priority \
      --output $out/pytorch-priority.json > $out/4-pytorch.txt 2>&1
    tail -4 $out/4-pytorch.txt
    ;;
  b)
    env_info
    XSCHED_JAVA_OPTS="${KERNEL_OPTS:-}" step demo 420 "$x" demo --duration 180 --warmup 3 \
      --modes standalone-hp,standalone-lp --output $out/demo > $out/5-demo-alone.txt 2>&1
    tail -12 $out/5-demo-alone.txt
    for n in 1 2 3; do
      XSCHED_JAVA_OPTS="-XX:+UseZGC -XX:StartFlightRecording=filename=$out/kedf-$n.jfr,settings=profile" \
        with_clocks $out/kedf-$n-clocks.csv step kedf-jfr-$n 60 "$x" bench policies --only deadline \
        --modes xsched-kedf --duration 20 --warmup 1 --output $out/kedf-$n
    done > $out/6-kedf-jfr.txt 2>&1
    grep -h "misses per mode\|^xsched-kedf \|^  *[BC]  " $out/6-kedf-jfr.txt
    ;;
  c)
    env_info
    XSCHED_JAVA_OPTS="${KERNEL_OPTS:-}" with_clocks $out/clocks.csv step demo 420 "$x" demo --duration 180 --warmup 3 \
      --modes native-priority,xsched-hpf --output $out/demo > $out/7-demo-shared.txt 2>&1
    tail -16 $out/7-demo-shared.txt
    ;;
  d)
    env_info
    with_clocks $out/clocks.csv step hpf-again 260 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf \
      --output $out/demo > $out/8-hpf-again.txt 2>&1
    tail -12 $out/8-hpf-again.txt
    ;;
  *) echo "unknown part '$1' (a to d)" >&2; exit 2 ;;
esac
pack_results round10-$1
