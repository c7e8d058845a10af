#!/usr/bin/env bash
# Round 13 on the NVIDIA H200 (not run yet): issue 13's table in one sitting again, with the
# per-request host times, and two questions about the GPU span. From the repository root with the
# bundle at .device/r/ and $OUT set; three calls of 6-8 minutes and one of 1.5, about 26 of a session's 30 device
# minutes; call them back to back (the device is handed back after 30 s idle, and a fresh lease
# may be another machine: a, b and c belong to one sitting only on one lease):
#
#   bash docs/device/round13.sh a   # standalone-hp and xsched-hpf 180 s; bench launch x3, and x1 with JFR (issue 15)
#   bash docs/device/round13.sh b   # standalone-lp 180 s; PyTorch 180 s, HP on the highest-priority stream
#   bash docs/device/round13.sh c   # native-priority 180 s; standalone-hp 60 s after a 16 GiB write and under MPS
#   bash docs/device/round13.sh d   # kedf three times, 20 s each (~1.5 min)
#
# a: the demo's "held up" line now says, for requests the host delayed by over 1 ms, how many lost
#    the time while keeping their CPU (off_cpu_ms: the hypervisor's steal or interrupts), waited on
#    the run queue, or woke late from the client's park; round 11's lease delayed 11-20 of the
#    slowest 36 per mode, round 12's 1-2. bench launch: issue 15's round trip and back-to-back
#    rows (round 10: XQueue +3.4-5.4 us P50 on the empty round trip, goal 3).
# b: the other half of issue 13's one-sitting table: our LP alone (round 10: 7.606 it/s) and
#    PyTorch + cuDNN (round 10: P99 6.45 ms, LP 7.53 it/s).
# c: on a quiet host the HP tail is the GPU span: 1.66 ms on average beside the batch model under
#    xsched-hpf against 1.44 alone (round 12), with the LP suspended throughout. An L2 flush (256
#    MiB written before each request, round 6) did not lengthen the span alone; a 16 GiB write, the
#    order of the batch model's activations, also evicts the GPU's TLBs: if the span grows to
#    xsched-hpf's, the batch model's footprint is the cause, not its running blocks. And the HP
#    process alone as an MPS client: in two processes under MPS its span was 2.03 ms (issue 12,
#    round 11), whether MPS alone costs that is unmeasured.
# d: kedf (round 11: 1, 1, 0 misses of 3,200, none with a run-queue wait): the task threads now
#    spin to each release and record off_cpu_ms, which the miss windows print ("lost while
#    keeping the CPU").
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # unpack_bundle, step, env_info, with_clocks, kedf_three_runs, demo_table, pack_results
unpack_bundle            # sets $out, $home, $x
case ${1:?a part, a to d} in
  a)
    env_info
    with_clocks $out/clocks.csv step demo 420 "$x" demo --duration 180 --warmup 3 --modes standalone-hp,xsched-hpf \
      --output $out/demo > $out/1-demo.txt 2>&1
    grep -h "^host\|  host" $out/1-demo.txt | head -4
    demo_table $out/1-demo.txt
    for n in 1 2 3; do
      step launch-$n 40 "$x" bench launch
    done > $out/2-launch.txt 2>&1
    # Once more with only the sync-point JFR event on: how many commands each sync point covered
    # in the back-to-back rows (a completion thread that records one for every short burst it
    # finds uncovered would explain the empty-kernel overhead that fewer sync points did not cut).
    XSCHED_JAVA_OPTS="-XX:StartFlightRecording:filename=$out/launch-syncpoints.jfr,settings=none,+dev.xsched.SyncPointCompleted#enabled=true,+dev.xsched.CommandSubmitted#enabled=false,+dev.xsched.CommandLaunched#enabled=false" \
      step launch-jfr 40 "$x" bench launch >> $out/2-launch.txt 2>&1
    grep -h "^== launch.*(\|round trip\|back.to.back" $out/2-launch.txt | head -40
    ;;
  b)
    env_info
    step demo 260 "$x" demo --duration 180 --warmup 3 --modes standalone-lp --output $out/demo > $out/3-demo-lp.txt 2>&1
    sed -n '/^mode  *HP p50/,/^(latencies/p' $out/3-demo-lp.txt
    step pytorch 300 python3 "$here/pytorch_scenario.py" --duration 180 --warmup 3 --modes both-hp-priority \
      --output $out/pytorch-priority.json > $out/4-pytorch.txt 2>&1
    tail -4 $out/4-pytorch.txt
    ;;
  c)
    env_info
    with_clocks $out/clocks.csv step demo 260 "$x" demo --duration 180 --warmup 3 --modes native-priority \
      --output $out/demo > $out/5-demo-np.txt 2>&1
    sed -n '/^mode  *HP p50/,/^(latencies/p' $out/5-demo-np.txt
    for flush in 0 16384; do
      XSCHED_JAVA_OPTS=-Dxsched.scenario.hpCacheFlushMiB=$flush step hp-flush-$flush 120 "$x" demo --duration 60 \
        --warmup 2 --modes standalone-hp --output $out/hp-flush-$flush
    done > $out/6-hp-flush.txt 2>&1
    grep -h "^standalone-hp  \|^  standalone-hp  " $out/6-hp-flush.txt
    if command -v nvidia-cuda-mps-control > /dev/null; then
      mps=$(mktemp -d /tmp/xsched-r13.XXXXXX); chmod 700 "$mps"
      export CUDA_MPS_PIPE_DIRECTORY=$mps/pipe CUDA_MPS_LOG_DIRECTORY=$mps/log
      mkdir -p "$CUDA_MPS_PIPE_DIRECTORY" "$CUDA_MPS_LOG_DIRECTORY"
      nvidia-cuda-mps-control -d   # a control daemon of this user; no GPU setting changes
      step hp-mps 120 "$x" demo --duration 60 --warmup 2 --modes standalone-hp --output $out/hp-mps > $out/7-hp-mps.txt 2>&1
      echo quit | nvidia-cuda-mps-control
      unset CUDA_MPS_PIPE_DIRECTORY CUDA_MPS_LOG_DIRECTORY
    else
      echo "skipped: no nvidia-cuda-mps-control on this host" > $out/7-hp-mps.txt
    fi
    grep -h "^standalone-hp  \|^  standalone-hp  \|skipped" $out/7-hp-mps.txt
    ;;
  d)
    env_info
    kedf_three_runs $out/8-kedf.txt
    grep -h "misses per mode\|misses by window" $out/8-kedf.txt
    ;;
  *) echo "unknown part '$1' (a to d)" >&2; exit 2 ;;
esac
pack_results round13-$1
