#!/usr/bin/env bash
# Round 52 (written 2026-12-06 in session 47, for the next sitting). Round 51 (an H100) measured
# the completion thread leaving the driver to a polling waiter (on main since 0021d03c) through
# bench launch and the scenario, but the device time ran out before the GPU suite could run on it:
# g comes first. Then what is left of issue 15 (back to back, 1.25-1.39x empty against the 1.10x
# goal, 1.007-1.038x at 5 us against 1.01x; the policy goals read again with ZGC, as round 39 asked)
# and, on the H200 that issue 13 names, its sitting (round47.sh's parts with this bundle).
#
#   bash docs/device/round52.sh g   # ~1.5 min: the GPU suite (xsched gpu-test), as round49.sh g
#   bash docs/device/round52.sh j   # ~2 min: bench launch with 2,000,000 launches per back-to-back
#                                   # row under a JFR profile (jdk.ExecutionSample every 10 ms, the
#                                   # "profile" settings): which thread makes the driver calls
#                                   # back to back now, and where the XQueue's extra 0.6-0.9 us a
#                                   # launch goes (round 14's profile predates the launch gate's
#                                   # spin, the linger and plain sync points)
#   bash docs/device/round52.sh p   # ~2.5 min: bench policies partition and deadline (up 75/25's
#                                   # throughput, kedf's misses), as round39.sh g ran them
#   bash docs/device/round52.sh a   # ~7 min, H200 only: round47.sh a (standalone-hp, xsched-hpf)
#   bash docs/device/round52.sh b   # ~7 min, H200 only: round47.sh b (standalone-lp, xsched-hpf)
#   bash docs/device/round52.sh c   # ~3.5 min, H200 only: round47.sh c (PyTorch + cuDNN)
#
# In this order on one lease: g, j, p; on an H200 a, b, c first (issue 13's sitting) if the budget
# holds all three. From the repository root with main's bundle at .device/r/ and $OUT set; move
# docs/data's folders aside for the call (the call's tree is limited to 64 MiB), and tar what a
# call leaves in $OUT into one file where it holds more than eight (the tool returns at most eight).
set -u
here=$(dirname "$0")
part=${1:?a part: g, j, p, a, b or c}
case $part in
  g) exec bash "$here/round49.sh" g ;;
  a|b|c) exec bash "$here/round47.sh" "$part" ;;
  j|p)
    . "$here/gpu-steps.sh"   # step, env_info, unpack_bundle, with_clocks, pack_results
    unpack_bundle            # sets $out, $home, $x
    env_info
    if [ "$part" = j ]; then
      XSCHED_JAVA_OPTS="-XX:StartFlightRecording:filename=$out/launch-profile.jfr,settings=profile" \
        step launch-profile 150 "$x" bench launch --launches 2000000 > $out/1-launch-profile.txt 2>&1
      grep -E "kernel, |back-to-back|exit" $out/1-launch-profile.txt | head -20
    else
      with_clocks $out/policies-clocks.csv step bench-policies 130 "$x" bench policies --only partition,deadline \
        --modes native,xsched-up,xsched-kedf --duration 20 --warmup 1 --output $out/policies > $out/1-bench-policies.txt 2>&1
      grep -h "misses per mode\|goal" $out/1-bench-policies.txt
    fi
    pack_results round52-$part
    ;;
  *) echo "unknown part '$part' (g, j, p, a, b or c)" >&2; exit 2 ;;
esac
