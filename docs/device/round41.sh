#!/usr/bin/env bash
# Round 41 (written 2026-12-06 in session 40): where the online request's first call goes on the
# GPU's host, and issue 13's table again with the stop flag's raise one driver call shorter.
# Round 40 (an H200, docs/results.md) found the first call (the start event's record, which makes
# the online XQueue ready and runs the decision round that suspends the batch queue) at 0.088 /
# 0.144 ms P50 / P99 against 0.028 / 0.048 on a plain stream: the whole of the span's excess
# (the span less it: 0.389 / 0.419 against 0.380 / 0.403 ms). The batch queue's suspension began
# 0.059 ms after the arrival at the median, so about 30 us lie between the request's first
# release and the round's suspend, and about 29 us in the suspend (its flag write) after it. The
# completion thread's idle poll changed none of it (0.087 / 0.146 without), and is off again.
#
#   bash docs/device/round41.sh j   # ~3.5 min: xsched-hpf in one process, 180 s, under a JFR
#                                   # recording of every decision round (its parts timed) and
#                                   # every stop-flag write; their percentiles (jfr_rounds.py)
#   bash docs/device/round41.sh h   # ~7 min: standalone-hp, then xsched-hpf (round40.sh h)
#   bash docs/device/round41.sh d   # ~3.2 min: standalone-lp (round35.sh l)
#   bash docs/device/round41.sh g   # ~4.5 min: every GPU suite, bench launch, bench policies (round40.sh g)
#   bash docs/device/round41.sh t   # ~8 min: xsched-hpf in two processes (one server, one MPS
#                                   # daemon), the defaults, then with --decide-on-submit off
#
# In this order: j (the answer to act on), h and d (the table, the raise's record gone), g, then t.
# Why t: in two processes the online process's stop word stops the batch kernels on the device
# before any round, yet its first call took as long as one process's (round 39: 0.046 ms both):
# the round its client runs on the submitting thread (which only reports to the server) may be
# what delays the first kernel there, and off the submitting thread it would not be.
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, demo_with_clocks, two_processes, unpack_bundle, pack_results
part=${1:?a part: j, h, d, g or t}
case $part in # earlier rounds' parts, which unpack and pack for themselves
  h) exec bash "$here/round40.sh" h ;;
  d) exec bash "$here/round35.sh" l ;;
  g) exec bash "$here/round40.sh" g ;;
esac
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  j)
    rec="-XX:StartFlightRecording:filename=$out/rounds.jfr,settings=none,+dev.xsched.DecisionRound#enabled=true"
    rec="$rec,+dev.xsched.DecisionRound#threshold=0ms,+dev.xsched.DecisionRound#stackTrace=false"
    rec="$rec,+dev.xsched.StopFlagWrite#enabled=true,+dev.xsched.StopFlagWrite#threshold=0ms,+dev.xsched.StopFlagWrite#stackTrace=false"
    XSCHED_JAVA_OPTS="$rec" demo_with_clocks hpf-jfr 1-hpf-jfr.txt --modes xsched-hpf
    "$home/runtime/bin/jfr" print --json --events dev.xsched.DecisionRound,dev.xsched.StopFlagWrite $out/rounds.jfr \
      > $out/rounds.json 2> $out/rounds-print.txt
    python3 "$here/jfr_rounds.py" $out/rounds.json | tee $out/2-rounds.txt
    xz -T4 $out/rounds.json
    ;;
  t)
    two_processes 1-two-default
    two_processes 2-two-no-decide-on-submit --decide-on-submit off
    ;;
  *) echo "unknown part '$part' (j, h, d, g or t)" >&2; exit 2 ;;
esac
pack_results round41-$part
