#!/usr/bin/env bash
# Round 15 on the NVIDIA H200: a and c ran on 2026-12-02, b, d, e, a again and f on 2026-12-03
# (data and findings in docs/data/2026-12-02-h200-round15/README.md). From the repository root with the bundle at
# .device/r/ and $OUT set; six calls of 2.5-7 minutes, about 27 of a session's 30 device minutes;
# call them back to back, in this order (the device is handed back after 30 s idle, and a fresh
# lease may be another machine: c, d and e belong to one sitting only on one lease). The tracked
# tree and the bundle must fit the device's 64 MiB: move docs/data's older folders aside for the
# calls if they do not (round 14 had to).
#
#   bash docs/device/round15.sh a   # bench launch x3, then with 2,000,000 launches per back-to-back row (~2.5 min)
#   bash docs/device/round15.sh b   # example blas: 16 GEMM panels, threshold 4, gated, 120 s per mode (~6.5 min)
#   bash docs/device/round15.sh c   # standalone-hp and xsched-hpf 180 s (~6.5 min)
#   bash docs/device/round15.sh d   # the scenario in two processes under MPS, xsched-hpf 180 s (~4 min)
#   bash docs/device/round15.sh e   # xsched-hpf 180 s with the device gate on (~3.3 min)
#   bash docs/device/round15.sh f   # example blas, gated, 8 and 16 panels, 30 s per mode, with its breakdown (~2.5 min)
#
# a: issue 15's launch rows after the launches stopped migrating to the completion thread
#    (LaunchGate.drainAfterSubmit, the completion thread's linger; JMH with a 3 us launch cost:
#    back to back 1.035-1.081x against 1.120-1.419x before; round 14 on the H200: 1.09-1.33x).
# b: round 14's hang at 16 panels, rerun now that a gated mode runs the batch job once on its
#    queue before the online model starts; a hang now leaves stacks (StallWatch after 30 s, and
#    step's SIGQUIT at its limit). Issue 14's goal: HP P99 <= 1.2x alone, GEMMs >= 95%.
# c: issue 13's ratio with the launch change (round 14, a quiet host: 1.18x).
# d: issue 12's ratio against c's xsched-hpf of the same lease (round 14: 1.22x).
# e: the online kernels' GPU span beside the batch model (+0.2 ms, rounds 12-14) is not the
#    checkpoint interval (round 14 e); another candidate is the batch model's released commands
#    that cannot yield, which run to their end beside the online kernels. The device gate holds
#    those that have not started: whether the span and the P99 come down, at what LP cost.
# f: where the gated GEMM job's extra online time goes (b: +0.63 ms at the median for 0.2 ms
#    panels), now that example blas prints the per-request breakdown: waiting for the GPU (the
#    panel running) or a longer GPU span (the online kernels beside the panel's blocks).
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info and the parts shared with other rounds (launch_runs, demo_2p_mps, ...)
unpack_bundle            # sets $out, $home, $x
part=${1:?a part, a to f}
env_info                 # every part: $out/0-env.txt, with the clock source
case $part in
  a)
    launch_runs
    grep -h "^== launch.*(\|round trip\|back.to.back\|nanoTime" $out/1-launch.txt | head -40
    ;;
  b)
    blas_gated_16
    ;;
  c)
    demo_hp_and_hpf
    ;;
  d)
    demo_2p_mps
    ;;
  e)
    with_clocks $out/clocks.csv step demo 260 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --device-gate on \
      --output $out/demo-gated > $out/5-demo-gated.txt 2>&1
    demo_table $out/5-demo-gated.txt
    ;;
  f)
    export XSCHED_CUBLAS_LIBRARY=/usr/local/cuda/lib64
    step blas-breakdown 200 "$x" example blas --duration 30 --warmup 2 --modes standalone-hp,standalone-lp,xsched-hpf \
      --panels 8,16 --threshold 4 --device-gate on > $out/6-blas-breakdown.txt 2>&1
    sed -n '/^mode  /,$p' $out/6-blas-breakdown.txt
    ;;
  *) echo "unknown part '$part' (a to f)" >&2; exit 2 ;;
esac
pack_results round15-$part
