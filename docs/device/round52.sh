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
#   bash docs/device/round52.sh d   # ~2.5 min: with .device/w/'s jars laid over the bundle (the
#                                   # completion thread deferring to a releaser that runs ahead,
#                                   # branch exp/defer-to-releaser), bench launch with 2,000,000
#                                   # launches per back-to-back row under a JFR profile, then once
#                                   # more with every park recorded: where the submitting thread
#                                   # still waits back to back
#   bash docs/device/round52.sh e   # ~1 min: the GPU suite (xsched gpu-test) with .device/w's jars
#                                   # laid over the bundle (its GPU tests are main's)
#   bash docs/device/round52.sh h   # ~3.5 min: round51.sh h (xsched-hpf 180 s with .device/w's jars)
#   bash docs/device/round52.sh m   # ~3.5 min: round51.sh m (the same with main's bundle)
#   bash docs/device/round52.sh a   # ~7 min, H200 only: round47.sh a (standalone-hp, xsched-hpf)
#   bash docs/device/round52.sh b   # ~7 min, H200 only: round47.sh b (standalone-lp, xsched-hpf)
#   bash docs/device/round52.sh c   # ~3.5 min, H200 only: round47.sh c (PyTorch + cuDNN)
#   bash docs/device/round52.sh s   # ~3.5 min, H200 only: standalone-hp alone (the demo's
#                                   # defaults): with b and c, one sample of each mode of issue 13's
#                                   # sitting in two calls where the budget holds no more
#
# What ran (session 48, an H100, 2026-12-07 01:48-01:55 UTC): g, round48.sh ab with
# AB_NAMES="main submitter" (.device/w: branch exp/defer-to-releaser's jars) and j in one call,
# then p; data in docs/data/2026-12-07-h100-round52/. d, e, h and m were written after it, for the
# branch; from 02:00 to 03:45 UTC the device gave no machine for them, then too little device
# time was left: e, then h and m, come first in the next sitting (.device/w: the branch's jars).
# Session 49 (an H100, 2026-12-07 06:00-06:10 UTC, "round 53", after nine starts that failed or
# were turned away from 04:27 UTC): e and h in one call, then m, then d, through a loop that ran
# each part with OUT set to a folder of its own; data in docs/data/2026-12-07-h100-round53/. The
# branch is on main since d5c611c7. s, for an H200 sitting in two calls (b, then s and c), has
# not run.
#
# In this order on one lease: g, j, p; on an H200 a, b, c first (issue 13's sitting) if the budget
# holds all three. From the repository root with main's bundle at .device/r/ and $OUT set; move
# docs/data's folders aside for the call (the call's tree is limited to 64 MiB), and tar what a
# call leaves in $OUT into one file where it holds more than eight (the tool returns at most eight).
set -u
here=$(dirname "$0")
part=${1:?a part: g, j, p, d, e, h, m, a, b, c or s}
case $part in
  g) exec bash "$here/round49.sh" g ;;
  h|m) exec bash "$here/round51.sh" "$part" ;;
  e)
    . "$here/gpu-steps.sh"
    unpack_bundle
    env_info
    overlay_branch_jars      # sets $xw
    XSCHED_REPORTS_DIR=/tmp/xr-reports step gpu-test-e 400 "$xw" gpu-test > $out/1-gpu-test-e.txt 2>&1
    grep -E "tests (successful|failed|aborted)|exit " $out/1-gpu-test-e.txt | head -20
    cp -r /tmp/xr-reports $out/
    pack_results round52-e
    ;;
  d)
    . "$here/gpu-steps.sh"
    unpack_bundle
    env_info
    overlay_branch_jars      # sets $xw
    XSCHED_JAVA_OPTS="-XX:StartFlightRecording:filename=$out/launch-profile-d.jfr,settings=profile" \
      step launch-profile-d 150 "$xw" bench launch --launches 2000000 > $out/1-launch-profile-d.txt 2>&1
    grep -E "back-to-back|exit" $out/1-launch-profile-d.txt
    parks="+jdk.ThreadPark#enabled=true,+jdk.ThreadPark#threshold=0ms,+jdk.ThreadPark#stackTrace=true"
    XSCHED_JAVA_OPTS="-XX:StartFlightRecording:filename=$out/launch-parks-d.jfr,settings=none,$parks" \
      step launch-parks-d 90 "$xw" bench launch > $out/2-launch-parks-d.txt 2>&1
    grep -E "back-to-back|exit" $out/2-launch-parks-d.txt
    pack_results round52-d
    ;;
  a|b|c) exec bash "$here/round47.sh" "$part" ;;
  s)
    . "$here/gpu-steps.sh"
    unpack_bundle
    env_info
    DEMO_LIMIT=240 demo_with_clocks hp-alone 1-hp-alone.txt --modes standalone-hp
    pack_results round52-s
    ;;
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
  *) echo "unknown part '$part' (g, j, p, d, e, h, m, a, b, c or s)" >&2; exit 2 ;;
esac
