#!/usr/bin/env bash
# Round 56 (written 2026-12-07 in session 50, for the next sitting). Round 55 f (an H100) recorded
# the online thread parking for 0.11-0.39 ms in its queue's state lock in 9 of 1,600 requests,
# after its 2 us spin ran out behind the scheduling thread, just woken and reading the queue for its
# decision: the slowest of the requests whose enqueue took over 0.3 ms, which make xsched-hpf's
# P99 1.13x alone in round 55 a. XQueueConfig.lockSpin (new) lets the queue's threads spin longer;
# -Dxsched.scenario.hpLockSpinMicros sets it for the online queue. h and m compare 50 us with the
# default in one lease; f records whether the online thread still parks with it.
#
#   bash docs/device/round56.sh h   # ~3.5 min: xsched-hpf 180 s, the online queue spinning 50 us
#   bash docs/device/round56.sh m   # ~3.5 min: the same with the queue's default 2 us (the demo's
#                                   # default was 2 us then; it is 50 us since round 56)
#   bash docs/device/round56.sh f   # ~3.5 min: h under round55.sh f's JFR recording, parks of 20 us
#                                   # or more recorded (F_DURATION=N: N s instead of 180)
#
# In this order on one lease: `round52.sh g` (the GPU suite, not run since XQueueConfig.lockSpin
# came in), h and m in one call, then f. On an H200, issue 13's sitting comes
# first (round52.sh b, then s and c), with -Dxsched.scenario.hpLockSpinMicros=50 in
# XSCHED_JAVA_OPTS if h beat m by then.
#
# What ran (session 51, an H100, 2026-12-07 10:23-10:43 UTC, main's bundle at 0a7f8ffc, whose demo
# spun 2 us by default, so m ran without the property): round52.sh g, h and m in one call; round52.sh
# s and c; the batch model alone and F_DURATION=80 f. h beat m (P99 0.49 against 0.54 ms, P99.9 0.68
# against 0.87; docs/results.md, round 56), and the demo's online queue spins 50 us since.
# From the repository root with main's bundle at .device/r/
# and $OUT set; move docs/data's folders aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, unpack_bundle, demo_with_clocks, with_clocks, demo_summaries, pack_results
part=${1:?a part: h, m or f}
unpack_bundle            # sets $out, $home, $x
env_info
spin="-Dxsched.scenario.hpLockSpinMicros=50"
case $part in
  h) XSCHED_JAVA_OPTS="$spin" DEMO_LIMIT=240 demo_with_clocks hpf-spin 1-hpf-spin.txt --modes xsched-hpf ;;
  m) XSCHED_JAVA_OPTS="-Dxsched.scenario.hpLockSpinMicros=2" DEMO_LIMIT=240 demo_with_clocks hpf-default 1-hpf-default.txt --modes xsched-hpf ;;
  f)
    events="+dev.xsched.QueueSuspended#enabled=true,+dev.xsched.QueueResumed#enabled=true"
    events="$events,+dev.xsched.StopFlagWrite#enabled=true,+dev.xsched.StopFlagWrite#threshold=0ms"
    events="$events,+jdk.ThreadPark#enabled=true,+jdk.ThreadPark#threshold=20us,+jdk.ThreadPark#stackTrace=true"
    seconds=${F_DURATION:-180}
    XSCHED_JAVA_OPTS="$spin -XX:StartFlightRecording:filename=$out/hpf-spin-f.jfr,settings=none,$events" \
      with_clocks $out/clocks-hpf-spin-f.csv step hpf-spin-f $((seconds + 60)) "$x" demo --duration $seconds --warmup 3 \
      --output $out/hpf-spin-f --modes xsched-hpf > $out/1-hpf-spin-f.txt 2>&1
    demo_summaries $out/1-hpf-spin-f.txt
    ;;
  *) echo "unknown part '$part' (h, m or f)" >&2; exit 2 ;;
esac
pack_results round56-$part
