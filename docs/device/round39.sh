#!/usr/bin/env bash
# Round 39 (written 2026-12-05 in session 38): issue 12's and issue 13's tables whole in one
# sitting, 180 s per mode, with the completion thread's quiet period (UncoveredLinger, session 38)
# in the bundle. Round 38 (a quiet H100) measured two processes 1.07x one process at P99, but ran
# native and native-priority in two processes in round 37's sitting, not its own; and it showed the
# online model on its XQueue without the batch model (GPU span P50 0.405 ms, 100 s) already slower
# than on a plain stream (0.379): the queue's own path, where the completion thread used to record
# a sync point in the middle of most online requests (their 23 launches take about 0.11 ms to
# enqueue, the thread waited 50 us from the first). Compare each part's spans with round 38's.
#
#   bash docs/device/round39.sh a   # ~6.5 min: xsched-hpf in one process, then in two processes
#                                   # (one `xsched server --policy hpf`, one MPS daemon, the demo's
#                                   # defaults: stop words, persistent grids)
#   bash docs/device/round39.sh b   # ~6.3 min: native and native-priority in two processes, the
#                                   # same server and MPS set-up (round35.sh v)
#   bash docs/device/round39.sh c   # ~6.7 min: standalone-hp, then PyTorch (round35.sh s)
#   bash docs/device/round39.sh d   # ~3.2 min: standalone-lp (round35.sh l)
#   bash docs/device/round39.sh f   # ~3.4 min: the online model alone on its XQueue
#                                   # (-Dxsched.scenario.hpOnly=true), 180 s this time
#   bash docs/device/round39.sh g   # ~4 min: every GPU suite (the first GPU run of the completion
#                                   # thread's quiet period and of the NVIDIA lookup's signature
#                                   # check), `bench launch` (issue 15's launch
#                                   # rows), `bench policies` partition and deadline (issue 15's up
#                                   # and kedf goals, last read in round 13, before most of the
#                                   # queue core's changes)
#
# Goals: issue 12, the two processes' HP P99 within 1.1x of one process's, LP within 2%, native and
# native-priority in two processes beside them; issue 13, xsched-hpf P99 within 1.1x of
# standalone-hp, P99.9 within 1.5x, LP at 95% of standalone-lp, ahead of PyTorch on both axes.
# Read besides the tables: each mode's "stolen by the hypervisor" line, the "where the HP time
# goes" rows, and the GPU span (`gpu_ms` in hp-breakdown.csv) of a, c and f.
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, demo_with_clocks, demo_summaries, mps_and_server_start/stop, unpack_bundle, pack_results
part=${1:?a part: a, b, c, d, f or g}
case $part in # round 35's parts, which unpack and pack for themselves
  b) exec bash "$here/round35.sh" v ;;
  c) exec bash "$here/round35.sh" s ;;
  d) exec bash "$here/round35.sh" l ;;
  a) exec bash "$here/round38.sh" a ;;
esac
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  f)
    XSCHED_JAVA_OPTS=-Dxsched.scenario.hpOnly=true with_clocks $out/clocks-hp-xqueue.csv step hp-xqueue 300 "$x" demo \
      --duration 180 --warmup 3 --output $out/hp-xqueue --modes xsched-hpf > $out/6-hp-xqueue.txt 2>&1
    demo_summaries $out/6-hp-xqueue.txt
    ;;
  g)
    XSCHED_REPORTS_DIR=/tmp/xr-reports step gpu-test 400 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    grep -E "tests (successful|failed|skipped)|exit " $out/1-gpu-test.txt | head -20
    cp -r /tmp/xr-reports $out/reports 2>/dev/null
    step launch 60 "$x" bench launch > $out/2-launch.txt 2>&1
    grep -E "launches/s|round trip|exit" $out/2-launch.txt | head -12
    with_clocks $out/policies-clocks.csv step bench-policies 130 "$x" bench policies --only partition,deadline \
      --modes native,xsched-up,xsched-kedf --duration 20 --warmup 1 --output $out/policies > $out/3-bench-policies.txt 2>&1
    grep -h "misses per mode\|goal" $out/3-bench-policies.txt
    ;;
  *) echo "unknown part '$part' (a, b, c, d, f or g)" >&2; exit 2 ;;
esac
pack_results round39-$part
