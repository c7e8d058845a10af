#!/usr/bin/env bash
# Round 14 on the NVIDIA H200 (run 2026-12-02 19:08-19:33 UTC: docs/data/2026-12-02-h200-round14/).
# From the repository root with the bundle at .device/r/ and $OUT set; five calls of 3-7
# minutes, about 24 of a session's 30 device minutes;
# call them back to back, in this order (the device is handed back after 30 s idle, and a fresh
# lease may be another machine: c, e and d belong to one sitting only on one lease):
#
#   bash docs/device/round14.sh a   # bench launch x3 with the clock's cost, then under a JFR profile and with every park recorded (~4 min)
#   bash docs/device/round14.sh c   # standalone-hp and xsched-hpf 180 s (~6.5 min)
#   bash docs/device/round14.sh e   # xsched-hpf 180 s with TF32 checkpoints every 8 slices instead of 16 (~3.3 min)
#   bash docs/device/round14.sh d   # the scenario in two processes under MPS, xsched-hpf 180 s (~4 min)
#   bash docs/device/round14.sh b   # example blas: 16 GEMM panels, threshold 4, gated, 120 s per mode (~6.5 min)
#
# a: round 13's XQueue rows cost 0.8-1.3 us more per empty launch than the stream's (0.1-0.2 us
#    in JMH on the development VM); the queue then read the clock for every command. It no longer
#    does, bench launch prints what a clock read costs on the host (and 0-env.txt the clock
#    source): a read of the order of a microsecond would have been the gap. The JFR profile of 2
#    million back-to-back launches per row says where the submitting thread's time goes if not.
# c: issue 13's ratio with the clock reads gone, on whatever host this lease is.
# e: on a quiet host the HP tail is the GPU span (+0.2-0.3 ms beside the batch model, round 12
#    and 13), the batch model's running blocks reaching their next checkpoint; checkpoints every 8
#    slices halve that wait and cost the yieldable loop 0.4 points (96.7% of plain against 97.1%,
#    round 4): whether the P99 reaches 1.1x of c's standalone, at what LP throughput.
# d: issue 12's ratio against c's xsched-hpf of the same lease (round 11: 1.31x under MPS).
# b: issue 14's gated GEMM job at 16 panels (the running panel, which the online request waits
#    for, about 0.17 ms; round 6: 8 panels at threshold 4 gave 1.13x in 15 s and 1.39x in 60 s).
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info and the parts shared with other rounds (launch_runs, demo_2p_mps, ...)
unpack_bundle            # sets $out, $home, $x
part=${1:?a part, a to e}
env_info                 # every part: $out/0-env.txt, with the clock source
case $part in
  a)
    launch_runs
    # Every park with its stack (no threshold): whether a synchronous request's thread blocks on
    # the queue's condition (its command being released by another thread) or in a lock.
    XSCHED_JAVA_OPTS="-XX:StartFlightRecording:filename=$out/launch-parks.jfr,settings=none,+jdk.ThreadPark#enabled=true,+jdk.ThreadPark#threshold=0ms,+jdk.ThreadPark#stackTrace=true" \
      step launch-parks 60 "$x" bench launch >> $out/1-launch.txt 2>&1
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
    XSCHED_JAVA_OPTS=-Dxsched.resnet.tf32YieldEvery=8 with_clocks $out/clocks.csv step demo 260 "$x" demo --duration 180 \
      --warmup 3 --modes xsched-hpf --output $out/demo-every8 > $out/5-demo-every8.txt 2>&1
    demo_table $out/5-demo-every8.txt
    ;;
  *) echo "unknown part '$part' (a to e)" >&2; exit 2 ;;
esac
pack_results round14-$part
