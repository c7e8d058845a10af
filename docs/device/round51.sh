#!/usr/bin/env bash
# Round 51 (written 2026-12-06 in session 46, for the next sitting): branch exp/defer-to-waiter.
# Since round 49 a thread that blocks on a sync point does so through a watch stream of its own
# (two driver calls, then a blocking synchronize). The completion thread makes those calls as soon
# as a sync point is pending, also while a synchronous waiter polls the same queue, so they sit
# beside the waiter's event queries on the caller's path; round 49 saw the empty round trip's extra
# grow (+3.2-5.9 us against +2.1-4.1 with BLOCKING_SYNC sync points) and the 20 us round trip's P99
# extra too (+12.6 against +7.2 us, the median of five JVMs each). On the branch the completion
# thread leaves the driver alone while a waiter polls (it sleeps in 20 us slices until the waiter
# saw the completion or gave up polling). Its price: an idle notice that the waiter leaves to the
# completion thread reaches the scheduler up to about 70 us later (the slice plus Linux's timer
# slack), which in the scenario resumes the batch model later after each online request: h and m
# tell whether the batch job's share moves.
#
#   bash docs/device/round51.sh ab  # ~2.5 min: bench launch in ten JVMs, alternating main's bundle
#                                   # (.device/r/, "plain") and the branch ("defer": .device/w/ holds
#                                   # its bundle's lib/*.jar, laid over a copy of main's)
#   bash docs/device/round51.sh h   # ~3.5 min: xsched-hpf alone with the branch's jars (180 s)
#   bash docs/device/round51.sh m   # ~3.5 min: xsched-hpf alone with main's bundle (180 s), the
#                                   # same sitting's baseline for h
#
# What ran (session 47, an H100 where the H200 was asked for, one lease, 22:46-23:00 UTC): ab; then
# h and m in one call, each with OUT set to a folder of its own and the two tarred into one file
# (the tool returns at most eight files); ab again the same way; then standalone-lp for 180 s with
# main's bundle (gpu-steps.sh's demo_with_clocks lp 1-lp.txt --modes standalone-lp).
# docs/data/2026-12-06-h100-round51/README.md says which file came from which call.
#
# In this order on one lease: ab, h, m. From the repository root with the bundle at .device/r/, the
# branch's jars at .device/w/ and $OUT set; move docs/data's folders aside for the call.
set -u
here=$(dirname "$0")
part=${1:?a part: ab, h or m}
case $part in
  ab) AB_NAMES="plain defer" exec bash "$here/round48.sh" ab ;;
  h|m)
    . "$here/gpu-steps.sh"   # step, env_info, unpack_bundle, demo_with_clocks, pack_results
    unpack_bundle            # sets $out, $home, $x
    env_info
    if [ "$part" = h ]; then
      overlay_branch_jars
      x=$xw
    fi
    DEMO_LIMIT=240 demo_with_clocks hpf-$part 1-hpf-$part.txt --modes xsched-hpf
    pack_results round51-$part
    ;;
  *) echo "unknown part '$part' (ab, h or m)" >&2; exit 2 ;;
esac
