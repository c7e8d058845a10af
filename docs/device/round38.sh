#!/usr/bin/env bash
# Round 38 (written 2026-12-05 in session 37): issue 12's ratio with the persistent grids that the
# two-process demo launches by default since round 37, side by side with the former default, in
# one sitting of 180 s per mode. Round 37 (a quiet H100) had two processes 1.36x one process at P99
# with them off, their GPU span the whole gap, and 1.08x with them on over only 60 s.
#
#   bash docs/device/round38.sh a   # ~6.5 min: xsched-hpf in one process, then in two processes
#                                   # (one `xsched server --policy hpf`, one MPS daemon, the stop
#                                   # words, persistent grids on: the demo's default)
#   bash docs/device/round38.sh b   # ~5.5 min: two processes with --persistent-grids off (the
#                                   # former default), the same server and MPS set-up; then
#                                   # `bench ipc` 50 ms apart (2,000 rounds, 100 s) and back to back
#   bash docs/device/round38.sh c   # ~6.7 min: standalone-hp, then PyTorch (round35.sh s)
#   bash docs/device/round38.sh d   # ~3.2 min: standalone-lp (round35.sh l)
#   bash docs/device/round38.sh e   # ~3.3 min: xsched-hpf in one process with the scheduling
#                                   # thread spinning 1 ms (XSCHED_SCHEDULER_SPIN_US=1000): since
#                                   # session 37 a round decided on the submitting thread wakes a
#                                   # spinning scheduling thread, so the online request's end finds
#                                   # it polling and the batch queue's resume skips a cold wake-up
#                                   # (round 37: the batch queue stayed suspended 0.78 ms per request
#                                   # of 0.46); compare "LP suspended" and LP it/s with a's one process
#   bash docs/device/round38.sh f   # ~2.2 min (added after a-e, for the session's last device
#                                   # minutes): xsched-hpf with -Dxsched.scenario.hpOnly=true, the
#                                   # online model on its XQueue under the scheduler and no batch
#                                   # model, 100 s: splits the online span's shift beside the batch
#                                   # model (0.38 -> 0.45 ms at the median in a and c) into the
#                                   # queue's own path and the batch model's presence on the device
#
# Issue 12's goal: the two processes' HP P99 within 1.1x of one process's, LP within 2%; issue
# 13's: xsched-hpf P99 within 1.1x of standalone-hp, P99.9 within 1.5x, LP at 95% of standalone-lp.
# What to read besides the tables: each mode's "host: ... stolen by the hypervisor" line (a busy
# host decides the tails: round 36), the "where the HP time goes" rows, and the line "the LP's
# suspension began ... after the arrival" (about 0.4 ms in two processes in round 37, against 24 us
# for the same path in `bench ipc`: not explained yet).
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, demo_with_clocks, demo_summaries, two_processes, unpack_bundle, pack_results
part=${1:?a part: a, b, c, d, e or f}
case $part in # round 35's parts, which unpack and pack for themselves
  c) exec bash "$here/round35.sh" s ;;
  d) exec bash "$here/round35.sh" l ;;
esac
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  a)
    demo_with_clocks hpf 1-hpf.txt --modes xsched-hpf
    two_processes 2-two-persistent
    ;;
  b)
    two_processes 3-two-not-persistent --persistent-grids off
    # The decision's path with its threads cold, as between the demo's requests, and warm.
    for interval in 50 0; do
      step ipc-$interval 150 "$x" bench ipc --rounds 2000 --interval-ms $interval --output $out/ipc-$interval \
        > $out/4-ipc-$interval.txt 2>&1
      grep -h "apart\|back to back\|^A " $out/4-ipc-$interval.txt
    done
    ;;
  e) XSCHED_SCHEDULER_SPIN_US=1000 demo_with_clocks hpf-spin 5-hpf-spin.txt --modes xsched-hpf ;;
  f)
    XSCHED_JAVA_OPTS=-Dxsched.scenario.hpOnly=true with_clocks $out/clocks-hp-xqueue.csv step hp-xqueue 200 "$x" demo \
      --duration 100 --warmup 3 --output $out/hp-xqueue --modes xsched-hpf > $out/6-hp-xqueue.txt 2>&1
    demo_summaries $out/6-hp-xqueue.txt
    ;;
  *) echo "unknown part '$part' (a, b, c, d, e or f)" >&2; exit 2 ;;
esac
pack_results round38-$part
