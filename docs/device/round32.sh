#!/usr/bin/env bash
# Round 32 on the NVIDIA H200 (written 2026-12-04 in session 29, which had no device). Run
# 2026-12-05 04:22-05:01 UTC in session 31: f, g and b on one host (busy), c and e on another
# (quiet), a and d not run; results in docs/results.md, data in docs/data/2026-12-05-h200-round32/,
# what is left in round33.sh.
# Three questions left open by round 31, in one lease:
# - the launch timer now holds each timed pass until the host has enqueued it (PassHold): do
#   ResNet-18's launches then add up to its pass (0.852 against 0.433 ms without the hold)? If so
#   the TF32 trace recorded here replaces the committed one (docs/simulator.md);
# - is the H200 at its power or clock limit beside today's faster batch model? (The online span
#   shifted 17% beside it in round 31, also for requests that stopped no batch kernel.) Every demo
#   mode below runs with the SM clock and power sampled every 100 ms (with_clocks);
# - issue 13's sitting, both twins and PyTorch side by side: standalone-hp, xsched-hpf with the
#   persistent twins (the default) and with one-tile twins (round 30: 95.6% of the batch job's rate
#   against 94.4-94.7% persistent), standalone-lp, PyTorch + cuDNN with the HP on the
#   highest-priority stream; 180 s per mode after 3 s.
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call, as rounds 14 to 31 did. About 22 minutes of device time in all:
#
#   bash docs/device/round32.sh a   # ResNet GPU tests (ResNetGpuTest times launches through the
#                                   # hold); the TF32 trace; RunResNet resnet18 1 500 --layers;
#                                   # standalone-hp with clocks
#   bash docs/device/round32.sh b   # xsched-hpf (persistent twins), then xsched-hpf
#                                   # --persistent-grids off (one-tile twins), with clocks
#   bash docs/device/round32.sh c   # standalone-lp with clocks, then PyTorch (both-hp-priority)
#
# And for issue 12, on a lease of its own if this one runs out (about 5 minutes):
#
#   bash docs/device/round32.sh d   # under one MPS daemon: standalone-hp, 60 s, the online process
#                                   # its only client (round 13 found MPS cost the 1.44 ms model
#                                   # nothing; split K's 23 launches of 6-26 us may pay per launch);
#                                   # then xsched-hpf in two processes, 180 s
#
# First of all, since session 30 (2026-12-05) changed every native call on a handle (a use gate
# that holds a stream, event or module open while a call passes it to the driver, so that a close
# on another thread waits) and checks YieldableKernels' control words: every GPU suite, then the
# launch benchmark against round 28's rows (242,785 launches/s, round trip 9.25 us on the stream),
# about 6 minutes; if a suite fails, stop there:
#
#   bash docs/device/round32.sh f   # gpu-test (every GPU suite), then bench launch
#
# On a short lease (session 31, 2026-12-05), the sitting without a's tests and trace: f, then
#
#   bash docs/device/round32.sh g   # standalone-hp alone, with clocks (a's last step)
#
# then b and c.
#
# And where device time is left (about 3.5 minutes), the online queue's sync points: one per
# request instead of three between its kernels (enqueue_ms in hp-breakdown.csv, new this round,
# says what the host's launch path takes of a request in each mode):
#
#   bash docs/device/round32.sh e   # xsched-hpf with -Dxsched.scenario.hpBatchSize=64, 180 s
#
# What to read: a's 2-trace-tf32.txt must say "launches timed in passes held until the host had
# enqueued them" for resnet18 and print no "warning: ... add up to" line (then commit the trace as
# trace-tf32.sh says); a's 3-layers.txt prints "sum of launches" beside the pass; each mode's
# clocks-NAME.txt holds its per-second SM clock and power (clocks_per_second).
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, resnet_gpu_tests, with_clocks, clocks_per_second, mps_and_server_*, demo_summaries, demo_with_clocks, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a to g}
env_info

case $part in
  a)
    resnet_gpu_tests 240 > $out/1-tests.txt 2>&1
    grep "tests successful\|tests failed\|GPU tests: exit" $out/1-tests.txt
    step trace-tf32 200 "$x" java dev.xsched.examples.resnet.TraceRecorder --batch 1024 --runs 5 --warmup 2 \
      --precision tf32 --out "$out/h200-resnet-trace-tf32.csv" > $out/2-trace-tf32.txt 2>&1
    grep -i "trace:\|ms per\|launches timed\|warning\|exit" $out/2-trace-tf32.txt | head -14
    cp "$out/h200-resnet-trace-tf32.csv" "$out/h200-resnet-trace-tf32.csv.txt" 2>/dev/null  # comes back outside the tarball too
    step layers 120 "$x" java dev.xsched.examples.resnet.RunResNet resnet18 1 500 --layers > $out/3-layers.txt 2>&1
    grep "ms per\|sum of launches\|exit" $out/3-layers.txt
    demo_with_clocks alone 4-alone.txt --modes standalone-hp
    ;;
  b)
    demo_with_clocks hpf 1-hpf.txt --modes xsched-hpf
    demo_with_clocks hpf-one-tile 2-hpf-one-tile.txt --modes xsched-hpf --persistent-grids off
    ;;
  c)
    demo_with_clocks lp 1-lp.txt --modes standalone-lp
    with_clocks $out/clocks-pytorch.csv step pytorch 300 python3 "$here/pytorch_scenario.py" --duration 180 --warmup 3 \
      --modes both-hp-priority --output $out/pytorch-priority.json > $out/2-pytorch.txt 2>&1
    clocks_per_second $out/clocks-pytorch.csv > $out/clocks-pytorch.txt
    tail -4 $out/2-pytorch.txt
    ;;
  d)
    command -v nvidia-cuda-mps-control > /dev/null || { echo "no nvidia-cuda-mps-control on this host" | tee $out/1-hp-mps.txt; exit 0; }
    mps_and_server_start
    step hp-mps 120 "$x" demo --duration 60 --warmup 3 --modes standalone-hp --output $out/hp-mps > $out/1-hp-mps.txt 2>&1
    if [ -S "$sock" ]; then
      step two 300 "$x" demo --processes 2 --server "$sock" --duration 180 --warmup 3 --modes xsched-hpf \
        --output $out/two > $out/2-two.txt 2>&1
    else
      echo "the server's socket did not appear: $(cat $out/server.log)" > $out/2-two.txt
    fi
    mps_and_server_stop
    demo_summaries $out/[1-2]-*.txt
    ;;
  g)
    demo_with_clocks alone 1-alone.txt --modes standalone-hp
    ;;
  e)
    XSCHED_JAVA_OPTS=-Dxsched.scenario.hpBatchSize=64 demo_with_clocks hpf-batch64 1-hpf-batch64.txt --modes xsched-hpf
    ;;
  f)
    XSCHED_REPORTS_DIR=/tmp/xr-reports step gpu-test 400 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    grep -E "tests (successful|failed|skipped)|exit " $out/1-gpu-test.txt
    if grep -qE "[1-9][0-9]* tests failed" $out/1-gpu-test.txt; then
      echo "a GPU suite failed: no launch benchmark on this code" | tee $out/2-launch.txt
      pack_results round32-$part
      exit 1
    fi
    step launch 60 "$x" bench launch > $out/2-launch.txt 2>&1
    grep -E "launches/s|round trip|exit" $out/2-launch.txt | head -12
    ;;
  *) echo "unknown part '$part' (a to g)" >&2; exit 2 ;;
esac
pack_results round32-$part
