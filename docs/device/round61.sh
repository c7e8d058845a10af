#!/usr/bin/env bash
# Round 61 (written 2026-12-07 in session 55, for the next sitting). Round 60 (H100, 19 JVMs at the
# defaults) found the XQueue's native launch as long as the stream's whole launch call and the
# queue's extra after it (1.6-4.8 us at the median: the wake-ups of the completion and scheduling
# threads), and that taking both wake-ups off the call (--idle-poll-us 1000 --decide-on-submit on)
# halved the call's extra but not the round trip's: the cost moved into the wait. bench launch's
# split row now also times the synchronize() after the call and takes the slowest 1% of those
# round trips apart (each part's median over them beside its median over all); l and w run it, so that
# the empty round trip's P99 (median +9.7 us over the stream in round 60; issue 15's goal +10) is
# explained round trip by round trip. On an H200, issue 13's sitting comes first: round52.sh b,
# then s and c, with the same bundle.
#
#   bash docs/device/round61.sh l   # ~35 s a JVM: bench launch --rounds 9 at the defaults
#                                   # (L_RUNS=N, default 4): window-split-N.txt
#   bash docs/device/round61.sh w   # ~70 s a pair: the defaults, then --idle-poll-us 1000
#                                   # --decide-on-submit on, alternating (W_RUNS=N pairs, default 4):
#                                   # window-{defaults,nowake}-N.txt
#   bash docs/device/round61.sh q   # ~70 s a pair: main's bundle, then the same with branch
#                                   # exp/quiet-waiter's jars (.device/w) laid over it, alternating
#                                   # (Q_RUNS=N pairs, default 3): window-{main,quiet}-N.txt
#                                   # (now round62.sh q, packed as round62-q);
#                                   # .device/w from: git checkout exp/quiet-waiter && ./mvnw -B -pl
#                                   # xsched-core -DskipTests package && cp xsched-core/target/
#                                   # xsched-core-0.2.0.jar .device/w/
#   bash docs/device/round61.sh b   # ~7 min, H200 only: round52.sh b (standalone-lp, xsched-hpf)
#   bash docs/device/round61.sh s   # ~3.5 min, H200 only: round52.sh s (standalone-hp)
#   bash docs/device/round61.sh c   # ~3.5 min, H200 only: round52.sh c (PyTorch + cuDNN)
#
# What ran: l on an H100, 2026-12-08 00:10-00:13 UTC (session 56; L_RUNS=6), then w on the same
# lease, 00:14-00:18 (W_RUNS=3); data in docs/data/2026-12-08-h100-round61/, reliability.md
# "Round 61": over the slowest 1% of the empty round trips the synchronize() takes 6.1-18.7 us
# against 3.0-4.8 at the median, each part of the launch call at most 2.2 us more: the tail is the
# wait's. q (branch exp/quiet-waiter's core jar in .device/w) did not run: the session's device
# time ran out in failed starts. No H200 came, so b, s and c did not run. Session 57 got no device;
# round62.sh carries q, b, s and c on, with bench launch's synchronize() split at its sync point.
#
# From the repository root with main's bundle at .device/r/ and $OUT set; move docs/data's
# folders aside for the call.
set -u
here=$(dirname "$0")
part=${1:?a part: l, w, q, b, s or c}
case $part in
  # The same commands as round 60's (its pack names too): the bundle, not the script, has the new rows.
  l|w) exec bash "$here/round60.sh" "$part" ;;
  # Carried on by round62.sh q, which runs the same two arms (and, with Q_ARMS, two more).
  q) Q_ARMS="main quiet" exec bash "$here/round62.sh" q ;;
  b|s|c) exec bash "$here/round52.sh" "$part" ;;
  *) echo "unknown part '$part' (l, w, q, b, s or c)" >&2; exit 2 ;;
esac
