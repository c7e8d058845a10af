#!/usr/bin/env bash
# Round 59 (written 2026-12-07 in session 53, for the next sitting). Round 58 (H100) ran the default
# window (up to 64/32, a 500 us drain budget) back to back at 1.044-1.130x a stream's time for empty
# kernels, 10 JVMs of 13 within issue 15's 1.10x, and a ceiling of 256/128 under the same budget at
# 1.047-1.068x in the three JVMs it ran. Branch exp/window-256 makes 256/128 the default; it needs
# the GPU suite and more alternating JVMs before it can go to main. Issue 15's other open goal is
# the empty kernel's round trip at P99 (+7.6 to +20.3 us over the stream in round 58, the goal +10):
# the submit that turns the queue ready wakes the scheduling thread, which XScheduler.Builder's
# decideOnSubmit (bench launch --decide-on-submit on) takes off that path; z measures whether that
# is the tail.
#
#   bash docs/device/round59.sh g   # ~1.5 min: the GPU suite (round49.sh g); with the bundle of
#                                   # branch exp/window-256 at .device/r/ it runs the 256/128 ceiling
#   bash docs/device/round59.sh y   # ~2 min a run: bench launch --rounds 9 at the bundle's defaults
#                                   # and at --threshold 64 --batch-size 32, alternating (Y_RUNS=N,
#                                   # default 3)
#   bash docs/device/round59.sh z   # ~1 min a run: bench launch --rounds 9 at the defaults with the
#                                   # scheduler deciding on the submitting thread, then
#                                   # without (--decide-on-submit on, off), alternating (Z_RUNS=N,
#                                   # default 2)
#
# What ran (session 54, an H100 where the H200 was asked for, 2026-12-07 19:01-19:19 UTC, one
# lease of five calls through .device/call.sh): g and y with branch exp/window-256's core jar laid
# over main's bundle at 1ad64bfc (BUNDLE_BRANCH_JARS=1), then z (Z_RUNS 2, 3, 1) and
# round58.sh x's command (X_RUNS 2, 2, 1) with main's bundle; data in
# docs/data/2026-12-07-h100-round59/. y compared 64/32 with itself: bench launch's window options
# default to constants compiled into the examples jar, which a core jar laid over does not change.
#
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
part=${1:?a part: g, y or z}
. "$here/gpu-steps.sh"
case $part in
  g) exec bash "$here/round49.sh" g ;;
  y) window_part round59-y "${Y_RUNS:-3}" "defaults=" "c64=--threshold 64 --batch-size 32" ;;
  z)
    unpack_bundle   # sets $out, $home, $x
    env_info
    for run in $(seq "${Z_RUNS:-2}"); do
      for decide in submit thread; do
        on=off; [ $decide = submit ] && on=on
        step decide-$decide-$run 90 "$x" bench launch --rounds 9 --decide-on-submit $on > $out/decide-$decide-$run.txt 2>&1
        echo "== decide on $decide, run $run"; grep -E "XQueue against|back-to-back|empty kernel, |20 us kernel, (stream|XQueue) " $out/decide-$decide-$run.txt
      done
    done
    pack_results round59-z
    ;;
  *) echo "unknown part '$part' (g, y or z)" >&2; exit 2 ;;
esac
