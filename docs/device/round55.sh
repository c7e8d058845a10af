#!/usr/bin/env bash
# Round 55 (written 2026-12-07 in session 50). Round 55 a (an H100) ran the online model alone and
# xsched-hpf with the demo's defaults in one lease: P99 1.13x alone, over issue 13's 1.1x, and the
# slowest requests were those whose host enqueue took 0.3-0.85 ms (P50 0.15 ms), 33 in xsched-hpf
# against 8 alone, nearly all with the batch queue's suspension beginning during that enqueue
# (within 0.15 ms of the arrival). f asks which call the online thread waits in then: the queue's
# JFR events of the suspension (dev.xsched.QueueSuspended, the flag writes: dev.xsched.StopFlagWrite,
# each with its duration and thread), the JVM's native-method samples every 1 ms, and every park
# or monitor wait of 0.1 ms or more, beside the demo's own breakdown.
#
#   bash docs/device/round55.sh a   # ~7 min: standalone-hp, then xsched-hpf (round47.sh a)
#   bash docs/device/round55.sh f   # ~3.5 min: xsched-hpf 180 s under that JFR recording
#                                   # (F_DURATION=N: N s instead)
#
# What ran (session 50, an H100 where an H200 was asked for, 2026-12-07 08:14-08:21 UTC): a, main's
# bundle at 24e42b4d (the library as on main since 99c29654); data in
# docs/data/2026-12-07-h100-round55/; then f with F_DURATION=80 on a fourth lease (08:25 UTC).
#
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
part=${1:?a part: a or f}
case $part in
  a) exec bash "$here/round47.sh" a ;;
  f)
    . "$here/gpu-steps.sh"   # step, env_info, unpack_bundle, demo_with_clocks, pack_results
    unpack_bundle            # sets $out, $home, $x
    env_info
    events="+dev.xsched.QueueSuspended#enabled=true,+dev.xsched.QueueResumed#enabled=true"
    events="$events,+dev.xsched.StopFlagWrite#enabled=true,+dev.xsched.StopFlagWrite#threshold=0ms"
    events="$events,+jdk.NativeMethodSample#enabled=true,+jdk.NativeMethodSample#period=1ms"
    # A park or a monitor wait of 0.1 ms or more on the online thread's path (its queue's launch
    # gate or state lock held by that queue's polling completion thread, say) would show here.
    events="$events,+jdk.ThreadPark#enabled=true,+jdk.ThreadPark#threshold=100us,+jdk.ThreadPark#stackTrace=true"
    events="$events,+jdk.JavaMonitorEnter#enabled=true,+jdk.JavaMonitorEnter#threshold=100us"
    # F_DURATION shortens the run where the device time left holds no 180 s (a diagnosis, not
    # a figure for issue 13's table).
    seconds=${F_DURATION:-180}
    XSCHED_JAVA_OPTS="-XX:StartFlightRecording:filename=$out/hpf-f.jfr,settings=none,$events" \
      with_clocks $out/clocks-hpf-f.csv step hpf-f $((seconds + 60)) "$x" demo --duration $seconds --warmup 3 \
      --output $out/hpf-f --modes xsched-hpf > $out/1-hpf-f.txt 2>&1
    demo_summaries $out/1-hpf-f.txt
    pack_results round55-f
    ;;
  *) echo "unknown part '$part' (a or f)" >&2; exit 2 ;;
esac
