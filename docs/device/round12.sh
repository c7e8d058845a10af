#!/usr/bin/env bash
# Round 12 on the NVIDIA H200 (run 2026-12-02 14:28-14:35 UTC; data in docs/data/2026-12-02-h200-round12/): who stops the online thread in the slowest 1%? From the repository
# root with the bundle at .device/r/ and $OUT set; one call of about 8 minutes:
#
#   bash docs/device/round12.sh a   # standalone-hp and xsched-hpf, 180 s each; bench ipc with 0.3 and 1 ms spins
#
# Round 11 (2026-12-02): xsched-hpf's P99 equalled standalone's (2.11 against 2.12 ms), and the
# requests held up over 1 ms on the host (20 of standalone's 36 slowest, 11 of xsched-hpf's) had
# no run-queue wait, came in clusters (57-80 s of standalone's run), and stayed with a 5 ms spin
# before each arrival; the host's steal counters grew by 0.4-2.5 s per mode. hp-breakdown.csv now
# has `off_cpu_ms` (the HP thread kept its CPU and still did not run: the hypervisor's steal or
# interrupts) and `woke_late_ms` (the client's park returned after the arrival), and the "held
# up" line counts both: if most held-up requests lost their time while keeping their CPU, the
# tail beyond the GPU is the virtual machine's, not ours.
# bench ipc (round 11 with 100 us spins: P50 20.4-22.5 us, P99 105-144 us against the goals 30 /
# 100 us): do longer spins of the three waiting threads cut the P99?
set -u
here=$(dirname "$0")
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
. "$here/gpu-steps.sh"   # step, env_info, with_clocks, demo_table, pack_results
case ${1:?a part: a} in
  a)
    env_info
    with_clocks $out/clocks.csv step demo 420 "$x" demo --duration 180 --warmup 3 --modes standalone-hp,xsched-hpf \
      --output $out/demo > $out/1-demo.txt 2>&1
    grep -h "^host\|  host" $out/1-demo.txt | head -4
    demo_table $out/1-demo.txt
    for us in 300 1000; do
      XSCHED_IPC_SPIN_US=$us XSCHED_SERVER_SPIN_US=$us XSCHED_SCHEDULER_SPIN_US=$us \
        step ipc-$us 40 "$x" bench ipc --rounds 10000 --output $out/ipc-$us
    done > $out/2-ipc.txt 2>&1
    grep -h "^== ipc\|^A ready\|^A idle" $out/2-ipc.txt | grep -v "cgroup before"
    ;;
  *) echo "unknown part '$1' (a)" >&2; exit 2 ;;
esac
pack_results round12-$1
