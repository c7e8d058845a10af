#!/usr/bin/env bash
# Round 62 (written 2026-12-08 in session 57, for the next sitting). Round 61 (H100) found the
# empty round trip's slowest 1% spending their extra in synchronize() (6.1-18.7 us over them
# against 3.0-4.8 at the median), not in the launch call. bench launch now splits that
# synchronize() at its sync point (the queue's work before the record, the event record, the
# polling until the event was seen complete, the queue's work after it; JSON synchronize_split_us),
# so the tail is either the GPU's completion (the polling, as the stream's own wait has it) or the
# queue's work around it. Branch exp/quiet-waiter takes the wake-ups off a polling waiter's path
# (its record, its completions and its leaving no longer signal the completion thread); q compares
# it with main in alternating JVMs, both through these rows, and g runs the GPU suite on it, which
# it needs before it can go to main. On an H200, issue 13's sitting first: b, then s and c.
#
#   bash docs/device/round62.sh q   # ~70 s a pair: main's bundle, then the same with branch
#                                   # exp/quiet-waiter's core jar (.device/w) laid over it,
#                                   # alternating (Q_RUNS=N pairs, default 3):
#                                   # window-{main,quiet}-N.txt; Q_ARMS="main quiet main-nowake
#                                   # quiet-nowake" adds both with --idle-poll-us 1000
#                                   # --decide-on-submit on (the launch call's wake-ups off: on
#                                   # main their cost moved into the wait, round 61, which the
#                                   # branch's quiet waiter may keep out); .device/w from: git checkout
#                                   # exp/quiet-waiter && ./mvnw -B -pl xsched-core -DskipTests
#                                   # package && cp xsched-core/target/xsched-core-0.2.0.jar .device/w/
#                                   # (arm "branch": .device/w's jars, whatever branch they are of,
#                                   # at the defaults: after round 62, exp/wake-by-scheduler)
#   bash docs/device/round62.sh g   # ~1.5 min: the GPU suite (xsched gpu-test) with .device/w's
#                                   # jars laid over the bundle: the branch's core
#   bash docs/device/round62.sh d   # ~4 min: the demo's standalone-lp and xsched-hpf, D_SECONDS (90)
#                                   # each after 3 s, main's bundle: whether the quiet waiter's later
#                                   # idle notice (the scheduler hears of the online queue's idleness
#                                   # up to 50 us later, so the batch queue resumes later) costs the
#                                   # batch model; a check where too little device time is left for b
#   bash docs/device/round62.sh b   # ~7 min, H200 only: round52.sh b (standalone-lp, xsched-hpf)
#   bash docs/device/round62.sh s   # ~3.5 min, H200 only: round52.sh s (standalone-hp)
#   bash docs/device/round62.sh c   # ~3.5 min, H200 only: round52.sh c (PyTorch + cuDNN)
#
# What ran: session 57 (2026-12-08) got no device: two failed starts and a refused call, then no
# machine was lent for the rest of the session. Session 58, on an H100 (2026-12-08 04:59-05:09 UTC,
# after three failed starts): q (Q_RUNS=3) and g in one call, then q with Q_ARMS="main quiet
# main-nowake quiet-nowake" Q_RUNS=2; the quiet waiter (then branch exp/quiet-waiter, written again
# in that session: the first branch was lost with its checkout) went to main after it. Data:
# docs/data/2026-12-08-h100-round62/. The H200's parts (b, s, c) did not run: no H200 came. d,
# written after, did not run either: two more starts failed (05:17, 05:31) and from 05:40 no machine
# was lent for the rest of the session. round63.sh carries d on, with the next change.
#
# From the repository root with main's bundle at .device/r/ (built at or after the commit that added
# the synchronize() split) and $OUT set; move docs/data's folders aside for the call.
set -u
here=$(dirname "$0")
part=${1:?a part: q, g, d, b, s or c}
case $part in
  q)
    . "$here/gpu-steps.sh"
    unpack_bundle          # sets $out, $home, $x
    # sets $xw; only the branch's arms need .device/w
    case " ${Q_ARMS:-main quiet} " in *" quiet"*|*" branch"*) overlay_branch_jars ;; esac
    env_info
    nowake="--idle-poll-us 1000 --decide-on-submit on"
    for run in $(seq "${Q_RUNS:-3}"); do
      for name in ${Q_ARMS:-main quiet}; do
        case $name in
          main) cmd=$x opts= ;;
          quiet|branch) cmd=$xw opts= ;; # one arm, two names: the quiet waiter's, and any later branch's
          main-nowake) cmd=$x opts=$nowake ;;
          quiet-nowake) cmd=$xw opts=$nowake ;;
          *) echo "unknown arm '$name' (main, quiet, main-nowake, quiet-nowake, branch)" >&2; exit 2 ;;
        esac
        # shellcheck disable=SC2086 # $opts is a list of options
        step window-$name-$run 90 "$cmd" bench launch $opts --rounds 9 > $out/window-$name-$run.txt 2>&1
        echo "== $name run $run"
        grep -E "back-to-back|empty kernel, (stream|XQueue) |then synchronize|slowest|before the record|the record|polling until|after it|queries per call|no record of|first elsewhere" \
          $out/window-$name-$run.txt | grep -v '^JSON'
      done
    done
    pack_results round62-q
    ;;
  g) BUNDLE_BRANCH_JARS=1 exec bash "$here/round49.sh" g ;;
  d)
    . "$here/gpu-steps.sh"
    unpack_bundle
    env_info
    secs=${D_SECONDS:-90}
    DEMO_SECONDS=$secs DEMO_LIMIT=$((2 * secs + 150)) demo_with_clocks lp-and-hpf 1-lp-and-hpf.txt \
      --modes standalone-lp,xsched-hpf
    pack_results round62-d
    ;;
  b|s|c) exec bash "$here/round52.sh" "$part" ;;
  *) echo "unknown part '$part' (q, g, d, b, s or c)" >&2; exit 2 ;;
esac
