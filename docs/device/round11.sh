#!/usr/bin/env bash
# Round 11 on the NVIDIA H200 (run 2026-12-02 13:55-14:11 UTC; data in docs/data/2026-12-02-h200-round11/, read in docs/results.md): is round 10's tail the host's scheduler? From the
# repository root with the bundle at .device/r/ and $OUT set; three calls, about 20 of a session's
# 30 device minutes; call them back to back (the device is handed back after 30 s idle, and a
# fresh lease may be another machine):
#
#   bash docs/device/round11.sh a   # ~7 min: standalone-hp and xsched-hpf, 180 s each
#   bash docs/device/round11.sh b   # ~4 min: kedf three times; bench ipc with every spin, three times
#   bash docs/device/round11.sh c   # ~5 min: the scenario in two processes under MPS, 60 s per mode
#   bash docs/device/round11.sh d   # ~3.5 min: xsched-hpf 180 s with the client spinning 5 ms before each arrival
#
# Since round 10 the demo writes each request's run-queue wait (hp-breakdown.csv `run_queue_ms`,
# the summary's "run queue" column and its "held up over 1 ms on the host" line), prints the
# container's CPU quota in its header and the throttling during each mode ("host:" lines), and
# the deadline benchmark does the same per instance and per mode; `step` prints the cgroup's
# throttling counters around every step.
#
# a: round 10's xsched-hpf had P99 3.45 and 2.49 ms with its GPU span P99 at 1.92-2.23 ms and most
#    of the slowest 1% held up 1-4 ms on the host. Read the "held up" line: if most of those
#    requests waited on the run queue and the "host:" line shows throttling, the container's CPU
#    quota is spent (fewer or shorter polling threads is the fix: the HP XQueue's 5 ms poll,
#    -Dxsched.scenario.hpWaitSpinMicros); if they waited on the run queue without throttling, other
#    tenants had the CPUs; if not on the run queue, the safepoint log (safepoints.log) says whether
#    the JVM stopped its threads then. On the 2-core development machine (simulator, 2026-12-02)
#    most such requests of standalone-hp waited on no run queue.
# b: kedf's misses (round 10: 30-134 of 3,200, no GC or safepoint in the windows): the windows now
#    print the tasks' run-queue wait. bench ipc with all three spins (round 10: P50 21.8-22.7 us, P99
#    84-119 us against the goals 30 / 100 us), three more samples.
# d: if a's held-up requests were mostly late to start without a run-queue wait (the park woke
#    late on an idle core), a client that spins the last 5 ms before each arrival
#    (-Dxsched.scenario.arrivalSpinMicros=5000, 10% of a core) should remove them: compare the
#    "held up" line and the P99 with a's xsched-hpf.
# c: issue 12's two-process scenario with round 8's defaults (not re-run since): round5-mps.sh,
#    which runs it without and with MPS.
set -u
here=$(dirname "$0")
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
. "$here/gpu-steps.sh"   # step, env_info, with_clocks, kedf_three_runs, demo_table, pack_results
case ${1:?a part, a to d} in
  a)
    env_info
    # Safepoints stop every Java thread without making it runnable: a request held up on the host
    # with no run-queue wait may have met one (the log's uptime stamps against the run's start).
    XSCHED_JAVA_OPTS="-Xlog:safepoint:file=$out/safepoints.log:uptime" with_clocks $out/clocks.csv \
      step demo 420 "$x" demo --duration 180 --warmup 3 --modes standalone-hp,xsched-hpf --output $out/demo > $out/1-demo.txt 2>&1
    awk '/Total:/ { for (i = 1; i <= NF; i++) if ($i == "Total:") { t = $(i + 1); if (t + 0 > 1000000) n++ } }
      END { print "safepoints over 1 ms: " n + 0 }' $out/safepoints.log
    grep -h "^host\|  host\|^mode  *HP p50" -A3 $out/1-demo.txt | head -20
    sed -n '/where the HP time goes/,$p' $out/1-demo.txt | grep -v "^wrote\|could not draw"
    ;;
  b)
    env_info
    kedf_three_runs $out/2-kedf.txt
    grep -h "^host\|  host\|misses per mode\|misses by window" $out/2-kedf.txt
    for n in 1 2 3; do
      XSCHED_IPC_SPIN_US=100 XSCHED_SERVER_SPIN_US=100 XSCHED_SCHEDULER_SPIN_US=100 \
        step ipc-all-$n 30 "$x" bench ipc --rounds 10000 --output $out/ipc-all-$n
    done > $out/3-ipc.txt 2>&1
    grep -h "^A ready\|^A idle" $out/3-ipc.txt
    ;;
  c)
    bash "$here/round5-mps.sh"
    ;;
  d)
    env_info
    XSCHED_JAVA_OPTS=-Dxsched.scenario.arrivalSpinMicros=5000 step demo 260 "$x" demo --duration 180 --warmup 3 \
      --modes xsched-hpf --output $out/demo > $out/4-demo-arrival-spin.txt 2>&1
    demo_table $out/4-demo-arrival-spin.txt
    ;;
  *) echo "unknown part '$1' (a to d)" >&2; exit 2 ;;
esac
pack_results round11-$1
