#!/usr/bin/env bash
# Round 34 on the NVIDIA H200 (written 2026-12-05 in session 34): the cross-process stop's GPU
# tests and issue 12's pair with it, then issue 13's table in one quiet sitting, which rounds 31-33
# each ran only in part. Run in part on 2026-12-05 12:22-12:31 UTC on an H100 (no H200 could be
# started), part q only (docs/data/2026-12-05-h100-round34/): RemoteStopGpuTest hung in its module
# load after arming (since reordered), the pair ran; t, m, n, a and b are still to run, on an H200.
# Since 7673711 the stop words are opt-in; the demo's processes opt in, XSCHED_REMOTE_STOP=false
# turns them off (part n). 180 s per mode after 3 s, the GPU's clocks
# sampled beside each, the demo's defaults (ZGC, deciding on the submitting thread, persistent
# twins, one sync point per online request) except where named. Two calls, one after the other
# on one lease (each under 10 minutes: two demo_with_clocks of at most 300 s each):
#
#   bash docs/device/round34.sh g   # every GPU suite first, with the cross-process stop's new tests
#                                   # (GpuHostWaitTest: a stream waits on a registered /dev/shm word;
#                                   # RemoteStopGpuTest: dd's store into an XQueue's stop word stops
#                                   # its yieldable kernel, which runs once after the decision)
#   bash docs/device/round34.sh a   # standalone-hp (the online model alone), then xsched-hpf
#   bash docs/device/round34.sh m   # issue 12: xsched-hpf in one process, then in two processes
#                                   # under one server and one MPS daemon with the cross-process stop
#                                   # (the default since session 34: the HP process advances the LP
#                                   # queue's /dev/shm stop word before its first kernel); issue 12's
#                                   # goal is the second's HP P99 within 1.1x of the first's. Where
#                                   # time is left, `XSCHED_REMOTE_STOP=false bash docs/device/round34.sh n`
#                                   # runs the two processes without it
#   bash docs/device/round34.sh q   # m, after the cross-process stop's own GPU tests (one call where
#                                   # device time is short)
#   bash docs/device/round34.sh t   # the cross-process stop's GPU tests alone
#   bash docs/device/round34.sh b   # xsched-hpf --persistent-grids off (the one-tile twins: round
#                                   # 32 kept the batch job at 96.1% with them on a busy host, 94.2%
#                                   # with the persistent ones), then PyTorch + cuDNN with the online
#                                   # model on the highest-priority stream
#
# round 33's standalone-lp (8.133 it/s, as in rounds 31 and 32) is the batch model alone.
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call. What to read: each mode's "host: ... stolen by the hypervisor" line and its
# "where the HP time goes" rows; the per-request GPU span is in each run's hp-breakdown.csv.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, with_clocks, clocks_per_second, demo_summaries, demo_with_clocks, unpack_bundle, pack_results
part=${1:?a part: g, t, a, m, n, q or b}
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  t)
    # The cross-process stop's GPU tests alone (RemoteStopGpuTest reordered after its first run).
    XSCHED_REPORTS_DIR=/tmp/xr-reports step gpu-test-stop 150 "$x" gpu-test \
      --include-classname '.*(RemoteStopGpuTest|GpuHostWaitTest)' > $out/0-gpu-test-stop.txt 2>&1
    grep -E "tests (successful|failed|skipped)|exit |RemoteStop|HostWait" $out/0-gpu-test-stop.txt | head -20
    ;;
  g)
    XSCHED_REPORTS_DIR=/tmp/xr-reports step gpu-test 400 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    grep -E "tests (successful|failed|skipped)|exit |HostWait|RemoteStop" $out/1-gpu-test.txt | head -20
    cp -r /tmp/xr-reports $out/reports 2>/dev/null
    ;;
  a)
    demo_with_clocks alone 1-alone.txt --modes standalone-hp
    demo_with_clocks hpf 2-hpf.txt --modes xsched-hpf
    ;;
  m|n|q)
    command -v nvidia-cuda-mps-control > /dev/null || { echo "no nvidia-cuda-mps-control on this host" | tee $out/2-two.txt; exit 0; }
    if [ "$part" = q ]; then
      # The cross-process stop's own GPU tests first (a minute at most), then m.
      XSCHED_REPORTS_DIR=/tmp/xr-reports step gpu-test-stop 150 "$x" gpu-test \
        --include-classname '.*(RemoteStopGpuTest|GpuHostWaitTest)' > $out/0-gpu-test-stop.txt 2>&1
      grep -E "tests (successful|failed|skipped)|exit |RemoteStop|HostWait" $out/0-gpu-test-stop.txt | head -20
    fi
    if [ "$part" != n ]; then
      demo_with_clocks hpf 1-hpf.txt --modes xsched-hpf
    fi
    mps_and_server_start
    if [ -S "$sock" ]; then
      # XSCHED_REMOTE_STOP (default true) reaches both client processes through the environment.
      step two 300 "$x" demo --processes 2 --server "$sock" --duration 180 --warmup 3 --modes xsched-hpf \
        --output $out/two > $out/2-two.txt 2>&1
    else
      echo "the server's socket did not appear: $(cat $out/server.log)" > $out/2-two.txt
    fi
    mps_and_server_stop
    demo_summaries $out/2-two.txt
    ;;
  b)
    demo_with_clocks hpf-one-tile 1-hpf-one-tile.txt --modes xsched-hpf --persistent-grids off
    pytorch_with_clocks 2-pytorch.txt 300
    ;;
  *) echo "unknown part '$part' (g, t, a, m, n, q or b)" >&2; exit 2 ;;
esac
pack_results round34-$part
