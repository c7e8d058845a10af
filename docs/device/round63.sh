#!/usr/bin/env bash
# Round 63 (written 2026-12-08 in session 58, for the next sitting). Round 62 (H100) put the quiet
# waiter on main: the empty round trip's wait no longer wakes the completion thread, and its tail
# fell (the synchronize() over the slowest 1% 6.4-10.7 us against 12.9-32.1), but the round trip's
# P99 did not (+8.0 to +18.4 us over a stream's; issue 15 asks +10): the launch call's tail carries
# it now, and on an idle queue that call still wakes two other threads after the native launch,
# the completion thread (for the burst) and the scheduling thread (the queue turned ready). The
# patch docs/device/patches/wake-by-scheduler.patch (three commits on main at c304b0ec: a
# submission that turns the queue ready leaves the completion thread's wake-up to the scheduling
# thread, which it wakes anyway; kept as a patch because the session's device was paused before it
# could run, and a branch does not outlive its checkout) takes one of them off. q compares it with
# main, g runs the GPU suite on it (needed before it lands), d checks the demo's batch model with
# main's bundle (the quiet waiter's later idle notice), and on an H200, issue 13's sitting.
#
#   .device/w from the patch:  git checkout -b exp/wake-by-scheduler main   (it applies to main
#                                as of ff5b2da4 too; made on c304b0ec)
#                              git am docs/device/patches/wake-by-scheduler.patch
#                              ./mvnw -B -q -o -pl xsched-core -am -DskipTests package
#                              cp xsched-core/target/xsched-core-0.2.0.jar .device/w/
#                              git checkout main   (then rebuild main's core: -pl xsched-core -am install)
#
#   bash docs/device/round63.sh q   # ~35 s a JVM: round62.sh q with Q_ARMS="main branch" (main's
#                                   # bundle, then .device/w's core laid over a copy), Q_RUNS pairs
#                                   # (default 3): window-{main,branch}-N.txt
#   bash docs/device/round63.sh g   # ~1.5 min: the GPU suite with .device/w's jars (round62.sh g)
#   bash docs/device/round63.sh d   # ~4 min: round62.sh d (the demo's standalone-lp and xsched-hpf,
#                                   # D_SECONDS each, main's bundle)
#   bash docs/device/round63.sh b   # ~7 min, H200 only: round52.sh b (standalone-lp, xsched-hpf)
#   bash docs/device/round63.sh s   # ~3.5 min, H200 only: round52.sh s (standalone-hp)
#   bash docs/device/round63.sh c   # ~3.5 min, H200 only: round52.sh c (PyTorch + cuDNN)
#
# What ran: nothing yet.
#
# From the repository root with main's bundle (at or after b3b3dcc3, the quiet waiter) at
# .device/r/ and $OUT set; move docs/data's folders aside for the call.
set -u
here=$(dirname "$0")
part=${1:?a part: q, g, d, b, s or c}
case $part in
  q) Q_ARMS="main branch" exec bash "$here/round62.sh" q ;;
  g|d) exec bash "$here/round62.sh" "$part" ;;
  b|s|c) exec bash "$here/round52.sh" "$part" ;;
  *) echo "unknown part '$part' (q, g, d, b, s or c)" >&2; exit 2 ;;
esac
