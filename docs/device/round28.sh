#!/usr/bin/env bash
# Round 28 on the NVIDIA H200 (2026-12-04): the GPU suite on the bundle whose yieldable launches
# allocate less (KernelArgs' array-backed builder feeds every native launch; not yet run on a
# GPU), issue 15's launch rows, and the question the round-27 breakdown leaves for issue 13: beside
# the yielding batch model the online ResNet-18's GPU span is 0.10 ms longer at the median (1.54
# against 1.44 ms) while its wait for the GPU is not (0.03 ms), so the excess is in its kernels.
# Round 6 ruled out the L2 with a 256 MiB write before each request; the batch model touches about
# 10 GB an iteration, which also sweeps the GPU's TLBs, which 256 MiB does not. So:
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call, as rounds 14 to 27 did. Each part stays under the 10-minute limit of a call.
#
#   bash docs/device/round28.sh a   # gpu-test (every GPU suite), then bench launch
#   bash docs/device/round28.sh b   # cold_l2.py (PyTorch's ResNet-18 after sweeps of 256 MiB and 8 GiB), then
#                                   # standalone-hp 60 s warm and 60 s with 8 GiB written before each request
#
# Then issue 13's sitting with the demo's defaults as they are since round 27 (the launchers start
# the demo's JVMs with the generational ZGC on hosts of 4 or more processors; round 27's sitting
# ran G1, its ZGC runs were on the next lease): 180 s per mode after 3 s, two calls on one lease.
#
#   bash docs/device/round28.sh c   # standalone-hp, then xsched-hpf (persistent grids, the default)
#   bash docs/device/round28.sh d   # standalone-lp, then xsched-hpf --persistent-grids off
#   bash docs/device/round28.sh e   # PyTorch + cuDNN, its online model on the highest-priority stream
#
# The sitting's xsched-hpf lost 0.08 ms of GPU span at the median to the model alone, 0.03 of it
# to swept caches (b); the batch blocks stop at their next check, every 16 K slices of a TF32
# tile. With checks every 4 slices, does the span shrink, and at what cost to the batch job?
# 70 s each, the default first (a third lease, the session's last 7 minutes of device time):
#
#   bash docs/device/round28.sh f   # xsched-hpf, then xsched-hpf with -Dxsched.resnet.tf32YieldEvery=4
#
# Ran: a 14:19 UTC, b 14:21 (one lease), c 14:37, d 14:44, e 14:50 (the next lease), f 15:07 (a
# third lease), all on the bundle of main at 2083718.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, demo_summaries, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a, b, c, d, e or f}
env_info

case $part in
  a)
    XSCHED_REPORTS_DIR=/tmp/xr-reports step gpu-test 400 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    grep -E "tests (successful|failed|skipped)|exit " $out/1-gpu-test.txt
    tar -czf $out/reports.tgz -C /tmp xr-reports 2>/dev/null
    step launch 60 "$x" bench launch > $out/2-launch.txt 2>&1
    tail -25 $out/2-launch.txt
    ;;
  b)
    step cold-l2 150 python3 "$here/cold_l2.py" --rounds 400 --json $out/cold-l2.json > $out/1-cold-l2.txt 2>&1
    cat $out/1-cold-l2.txt
    step warm 120 "$x" demo --duration 60 --warmup 3 --modes standalone-hp --output $out/warm > $out/2-warm.txt 2>&1
    step swept 120 env XSCHED_JAVA_OPTS=-Dxsched.scenario.hpCacheFlushMiB=8192 "$x" demo --duration 60 --warmup 3 \
      --modes standalone-hp --output $out/swept > $out/3-swept.txt 2>&1
    demo_summaries $out/[2-3]-*.txt
    ;;
  c)
    step alone 300 "$x" demo --duration 180 --warmup 3 --modes standalone-hp --output $out/alone > $out/1-alone.txt 2>&1
    step hpf 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/hpf > $out/2-hpf.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  d)
    step lp 300 "$x" demo --duration 180 --warmup 3 --modes standalone-lp --output $out/lp > $out/1-lp.txt 2>&1
    step hpf-one-tile 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --persistent-grids off \
      --output $out/hpf-one-tile > $out/2-hpf-one-tile.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  e)
    step pytorch 300 python3 "$here/pytorch_scenario.py" --duration 180 --warmup 3 --modes both-hp-priority \
      --output $out/pytorch-priority.json > $out/1-pytorch.txt 2>&1
    tail -4 $out/1-pytorch.txt
    ;;
  f)
    step hpf 150 "$x" demo --duration 70 --warmup 3 --modes xsched-hpf --output $out/hpf > $out/1-hpf.txt 2>&1
    step hpf-every4 150 env XSCHED_JAVA_OPTS=-Dxsched.resnet.tf32YieldEvery=4 "$x" demo --duration 70 --warmup 3 \
      --modes xsched-hpf --output $out/hpf-every4 > $out/2-hpf-every4.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  *)
    echo "unknown part $part (a, b, c, d, e or f)" >&2; exit 2
    ;;
esac
pack_results round28-$part
