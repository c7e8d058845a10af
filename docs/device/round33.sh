#!/usr/bin/env bash
# Round 33 on the NVIDIA H200 (written 2026-12-05 in session 31, after round 32). Run in part on
# 2026-12-05 10:01-10:12 UTC (docs/data/2026-12-05-h200-round33/): e, round 32's f (every GPU suite
# and bench launch) and c's standalone-lp; a, b, c's first half, d and f are still to run. Give each
# demo_with_clocks one mode: it allows a demo 300 s, and a pair of 180 s modes was stopped there.
# Round 32 ran on two hosts, the first busy (its hypervisor had taken 37.9 s of CPU in the minutes
# since it booted, before the demo began), so three things it left open need one quiet sitting:
# - the online queue's batch size, 64 (the demo's default since f23d227: one sync point per
#   ResNet-18 request) against 8 (round 31's), side by side: round 32 measured 64 on one host and
#   compared it with round 31's 8 on another;
# - the yieldable twins of the batch model: persistent (the default; the batch job at 94.2-94.7% of
#   alone beside the online one) against one-tile (95.6-96.1%), now with the online tail of each
#   measured on a quiet host, which no sitting has done;
# - the launch benchmark, whose stream rows round 32 measured slower on the busy host (214,778
#   launches/s against round 28's 242,785) after session 30's use gate on every native call.
# 180 s per mode after 3 s, the GPU's clocks sampled beside each. From the repository root with the
# bundle at .device/r/ and $OUT set; move docs/data's folders aside for the call. Each part is one
# call (under 10 minutes); in this order, about 26 minutes of device time with the machine's start:
#
#   bash docs/device/round33.sh e   # issue 12, about 1.5 minutes (at most 9.5 if every probe runs
#                                   # into its limit): can the online process stop the batch
#                                   # process's kernels with no thread of the batch process on the
#                                   # path? (shm_wait_probe.py) By a plain store into a /dev/shm word
#                                   # that the batch process's stream waits on (cuMemHostRegister,
#                                   # cuStreamWaitValue32, then cuStreamWriteValue32 raising the flag
#                                   # a grid filling every SM spins on), or by raising that flag
#                                   # itself through a CUDA IPC mapping; without MPS and under it. If
#                                   # one works in microseconds, that is the design to build
#                                   # (docs/multiprocess.md)
#   bash docs/device/round33.sh a   # bench launch, standalone-hp (the online model alone on a plain
#                                   # stream), then xsched-hpf with -Dxsched.scenario.hpOnly=true (the
#                                   # online model alone on its XQueue under the scheduler: how much
#                                   # of its span beside the batch model is the queue's own path)
#   bash docs/device/round33.sh b   # xsched-hpf (batch size 64, persistent twins: the defaults),
#                                   # then xsched-hpf --persistent-grids off (one-tile twins)
#   bash docs/device/round33.sh c   # xsched-hpf with -Dxsched.scenario.hpBatchSize=8 (round 31's
#                                   # setting), then standalone-lp
#   bash docs/device/round33.sh d   # PyTorch + cuDNN with the online model on the highest-priority
#                                   # stream
#
# Where time is left: standalone-hp again (the host's drift over the sitting:
# `bash docs/device/round33.sh f`, about 3.5 minutes), then round 32's part d (under one MPS
# daemon: standalone-hp for 60 s, then xsched-hpf in two processes for 180 s, the online process
# now at one sync point per request too; about 5 minutes):
#
#   bash docs/device/round32.sh d
#
# What to read: each mode's "host: ... stolen by the hypervisor ... during this mode" line (a mode
# that lost over 2 s is not a quiet one), and its "where the HP time goes" rows; the GPU span per
# request is in each run's hp-breakdown.csv (gpu_ms). Since 2026-12-05 the summary also says when
# the batch queue's suspension began after each arrival ("the LP's suspension began P50 ..., P99
# ...", column lp_suspend_ms) and sets apart the requests that never suspended it: in one process
# the decision on the submitting thread, in two (round 32's d) the server's round trip under load,
# beside which the GPU span tells whether a late suspend is what lengthens it. For the probes (e): each line of 1-probe.txt
# with "acknowledgement seen" says whether the driver ran it under MPS and, for the grid's rounds,
# how many had not started 1 s after arming (then those rounds measured a launch as well).
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, with_clocks, clocks_per_second, demo_summaries, demo_with_clocks, unpack_bundle, pack_results
part=${1:?a part: a to f}
if [ "$part" = e ]; then
  out=$OUT               # the probes need no bundle
else
  unpack_bundle          # sets $out, $home, $x
fi
env_info

case $part in
  a)
    step launch 60 "$x" bench launch > $out/1-launch.txt 2>&1
    grep -E "launches/s|round trip|exit" $out/1-launch.txt | head -12
    demo_with_clocks alone 2-alone.txt --modes standalone-hp
    XSCHED_JAVA_OPTS=-Dxsched.scenario.hpOnly=true demo_with_clocks hp-xqueue 3-hp-xqueue.txt --modes xsched-hpf
    ;;
  b)
    demo_with_clocks hpf 1-hpf.txt --modes xsched-hpf
    demo_with_clocks hpf-one-tile 2-hpf-one-tile.txt --modes xsched-hpf --persistent-grids off
    ;;
  c)
    XSCHED_JAVA_OPTS=-Dxsched.scenario.hpBatchSize=8 demo_with_clocks hpf-batch8 1-hpf-batch8.txt --modes xsched-hpf
    demo_with_clocks lp 2-lp.txt --modes standalone-lp
    ;;
  d)
    with_clocks $out/clocks-pytorch.csv step pytorch 300 python3 "$here/pytorch_scenario.py" --duration 180 --warmup 3 \
      --modes both-hp-priority --output $out/pytorch-priority.json > $out/1-pytorch.txt 2>&1
    clocks_per_second $out/clocks-pytorch.csv > $out/clocks-pytorch.txt
    tail -4 $out/1-pytorch.txt
    ;;
  f)
    demo_with_clocks alone2 1-alone2.txt --modes standalone-hp
    ;;
  e)
    probes() {  # probes PREFIX: the three probes, each into $out/PREFIX-ACK-RAISE.json
      local probe ack raise
      for probe in front-end:store kernel:store kernel:ipc; do
        ack=${probe%%:*} raise=${probe##*:}
        step $1-$ack-$raise 90 python3 "$here/shm_wait_probe.py" --rounds 2000 --ack $ack --raise $raise \
          --output $out/$1-$ack-$raise.json >> $out/1-probe.txt 2>&1
      done
    }
    probes probe
    if command -v nvidia-cuda-mps-control > /dev/null; then
      dir=$(mktemp -d /tmp/xsched-mps.XXXXXX); chmod 700 "$dir"
      export CUDA_MPS_PIPE_DIRECTORY=$dir/pipe CUDA_MPS_LOG_DIRECTORY=$dir/log
      mkdir -p "$CUDA_MPS_PIPE_DIRECTORY" "$CUDA_MPS_LOG_DIRECTORY"
      if nvidia-cuda-mps-control -d; then
        probes probe-mps  # each probe says whether the driver ran it under MPS (mps_enabled)
        echo get_server_list | timeout 10 nvidia-cuda-mps-control > $out/mps-servers.txt 2>&1
        # quit waits for the clients; a probe killed with work queued must not hold the call.
        echo quit | timeout 20 nvidia-cuda-mps-control || pkill -KILL -f nvidia-cuda-mps || true
      else
        echo "nvidia-cuda-mps-control -d failed: no MPS rounds" >> $out/1-probe.txt
      fi
      cp "$CUDA_MPS_LOG_DIRECTORY"/control.log $out/mps-control.log 2>/dev/null
      cp "$CUDA_MPS_LOG_DIRECTORY"/server.log $out/mps-server.log 2>/dev/null
      unset CUDA_MPS_PIPE_DIRECTORY CUDA_MPS_LOG_DIRECTORY
    else
      echo "no nvidia-cuda-mps-control on this host: no MPS rounds" >> $out/1-probe.txt
    fi
    grep -E "acknowledgement|failed|Error|exit" $out/1-probe.txt
    ;;
  *) echo "unknown part '$part' (a to f)" >&2; exit 2 ;;
esac
pack_results round33-$part
