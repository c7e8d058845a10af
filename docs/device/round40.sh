#!/usr/bin/env bash
# Round 40 (written 2026-12-06 in session 39): the online request's first call on the GPU with the
# completion thread's idle poll (XQueueConfig.idlePoll, the demo's online queue: 1 ms), beside the
# same mode with the poll off, in one sitting with everything issue 13's and issue 12's tables need.
# Round 39 (a quiet H100) found that past its first call the online model on its XQueue runs as on
# a plain stream, and that the first call (the start event's record, which makes the queue ready)
# took 0.046 ms at P50 and 0.100 at P99 against 0.004 / 0.028 on a stream: most of the tail's
# excess. On the development machine half of that call was the completion thread's wake-up, which
# the poll takes off (PreemptingSubmitBenchmark.submitCall, docs/benchmarks.md).
#
#   bash docs/device/round40.sh a   # ~6.5 min: xsched-hpf in one process, then in two processes
#                                   # (one `xsched server --policy hpf`, one MPS daemon, the
#                                   # demo's defaults), the idle poll on (round38.sh a)
#   bash docs/device/round40.sh p   # ~3.3 min: xsched-hpf in one process with the idle poll off
#                                   # (-Dxsched.scenario.hpIdlePollMicros=0): the difference
#   bash docs/device/round40.sh c   # ~6.7 min: standalone-hp, then PyTorch (round35.sh s)
#   bash docs/device/round40.sh d   # ~3.2 min: standalone-lp (round35.sh l)
#   bash docs/device/round40.sh g   # ~4.5 min: every GPU suite, `bench launch` with and without
#                                   # `--idle-poll-us 1000` twice each, alternating (issue 15's
#                                   # round trip), `bench policies` partition and deadline (now
#                                   # with ZGC from the launcher)
#   bash docs/device/round40.sh b   # ~6.3 min: native and native-priority in two processes (round35.sh v)
#   bash docs/device/round40.sh f   # ~3.4 min: the online model alone on its XQueue, 180 s (round39.sh f)
#   bash docs/device/round40.sh h   # ~7 min: standalone-hp, then xsched-hpf in one process with the
#                                   # idle poll on (the demo's default): issue 13's ratio in one call
#   bash docs/device/round40.sh q   # ~7 min: xsched-hpf in one process with the idle poll off, then
#                                   # standalone-lp
#
# Where the lease is short (a call costs 3-5 minutes' start), h then q give the same comparison in
# two calls: the ratio, the poll on against off, and the batch model's share.
#
# In this order: a, p, c, d first (issue 13's table with the difference the poll makes), then g,
# then b and f as the lease allows. Read `start_record_ms` ("the first call" in each demo's
# summary) and the GPU span less it, beside round 39's.
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, demo_with_clocks, demo_summaries, unpack_bundle, pack_results
part=${1:?a part: a, p, c, d, g, b, f, h or q}
case $part in # earlier rounds' parts, which unpack and pack for themselves
  a) exec bash "$here/round38.sh" a ;;
  c) exec bash "$here/round35.sh" s ;;
  d) exec bash "$here/round35.sh" l ;;
  b) exec bash "$here/round35.sh" v ;;
  f) exec bash "$here/round39.sh" f ;;
esac
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  p|q)
    XSCHED_JAVA_OPTS=-Dxsched.scenario.hpIdlePollMicros=0 demo_with_clocks hpf-no-poll 1-hpf-no-poll.txt --modes xsched-hpf
    if [ "$part" = q ]; then
      DEMO_LIMIT=200 demo_with_clocks lp 2-lp.txt --modes standalone-lp
    fi
    ;;
  h)
    DEMO_LIMIT=440 demo_with_clocks hp-and-hpf 1-hp-and-hpf.txt --modes standalone-hp,xsched-hpf
    ;;
  g)
    XSCHED_REPORTS_DIR=/tmp/xr-reports step gpu-test 400 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    grep -E "tests (successful|failed|skipped)|exit " $out/1-gpu-test.txt | head -20
    cp -r /tmp/xr-reports $out/reports 2>/dev/null
    for run in 1 2; do
      step launch-$run 60 "$x" bench launch > $out/2-launch-$run.txt 2>&1
      grep -E "round trip|back-to-back|exit" $out/2-launch-$run.txt | head -12
      step launch-poll-$run 60 "$x" bench launch --idle-poll-us 1000 > $out/2-launch-poll-$run.txt 2>&1
      grep -E "round trip|back-to-back|exit" $out/2-launch-poll-$run.txt | head -12
    done
    with_clocks $out/policies-clocks.csv step bench-policies 130 "$x" bench policies --only partition,deadline \
      --modes native,xsched-up,xsched-kedf --duration 20 --warmup 1 --output $out/policies > $out/3-bench-policies.txt 2>&1
    grep -h "misses per mode\|goal" $out/3-bench-policies.txt
    ;;
  *) echo "unknown part '$part' (a, p, c, d, g, b, f, h or q)" >&2; exit 2 ;;
esac
pack_results round40-$part
