#!/usr/bin/env bash
# Round 23 on the NVIDIA H200 (2026-12-03, session 19): issue 13's and issue 12's 180 s figures for
# deciding on the submitting thread with persistent grids. From the repository root with the bundle
# at .device/r/ and $OUT set; move docs/data's folders aside for the call, as rounds 14 to 22 did.
# Run a, b, c and d back to back, so that they share a lease (one sitting): each call stays under the
# 10-minute limit of one call.
#
#   bash docs/device/round23.sh a   # one process: standalone-hp, then xsched-hpf deciding on submit with persistent grids, 180 s each
#   bash docs/device/round23.sh b   # the same xsched-hpf with the JIT compiling early (CompileThresholdScaling 0.05), then standalone-lp, 180 s each
#   bash docs/device/round23.sh c   # two processes under MPS, gated, deciding on submit with persistent grids (JIT=early for
#                                   # b's JIT setting), 180 s; then xsched bench decision as is and deciding on submit
#   bash docs/device/round23.sh d   # the defaults in the same sitting: xsched-hpf in one process, then in two, 180 s each
#   bash docs/device/round23.sh e   # b's xsched-hpf again on a later lease, 100 s (the device time that was left)
#
# Round 22 (docs/results.md) found the online model's excess GPU span under xsched-hpf to be the
# batch model still running, late by the host's decision (0.30 ms from the online submission to
# the suspend applied, 0.11 ms of it the scheduling thread's wake-up) and by the not-started
# blocks of its stopped kernels. Deciding on the submitting thread (XScheduler.Builder#decideOnSubmit)
# with persistent grids brought the online kernels within 35 us of the model alone and the median
# latency from 1.79 to 1.67 ms in 30 s runs. The environment variable (XSCHED_DECIDE_ON_SUBMIT)
# reaches the LP process of a two-process demo by inheritance, and the demo forwards xsched.*
# properties and (since this round) the JIT's threshold to both processes.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, mps_and_server_*, demo_summaries, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a, b, c, d or e}
env_info
# Since this round the demo decides on submit, launches persistent grids in one process and
# compiles early by default; these keep the runs as they ran on the bundle of 116fdd0, which had
# neither the options nor those defaults (the JIT's default threshold, given explicitly, changed
# nothing there).
jit_default=-XX:CompileThresholdScaling=1
old_defaults="--decide-on-submit off --persistent-grids off"

case $part in
  a)
    XSCHED_JAVA_OPTS=$jit_default step alone 300 "$x" demo --duration 180 --warmup 3 --modes standalone-hp \
      --output $out/alone > $out/1-alone.txt 2>&1
    XSCHED_DECIDE_ON_SUBMIT=true XSCHED_JAVA_OPTS="-Dxsched.resnet.persistentYield=true $jit_default" \
      step submit-persist 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/submit-persist \
      > $out/2-submit-persist.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  b)
    XSCHED_DECIDE_ON_SUBMIT=true XSCHED_JAVA_OPTS="-Dxsched.resnet.persistentYield=true -XX:CompileThresholdScaling=0.05" \
      step submit-persist-jit 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/submit-persist-jit \
      > $out/1-submit-persist-jit.txt 2>&1
    XSCHED_JAVA_OPTS=$jit_default step lp 300 "$x" demo --duration 180 --warmup 3 --modes standalone-lp \
      --output $out/lp > $out/2-lp.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  c)
    command -v nvidia-cuda-mps-control > /dev/null || { echo "no nvidia-cuda-mps-control on this host" >&2; exit 1; }
    mps_and_server_start
    [ -S "$sock" ] || { echo "the server's socket did not appear: $(cat $out/server.log)" >&2; mps_and_server_stop; exit 1; }
    jit=$jit_default
    [ "${JIT:-}" = early ] && jit=-XX:CompileThresholdScaling=0.05
    XSCHED_DECIDE_ON_SUBMIT=true XSCHED_JAVA_OPTS="-Dxsched.resnet.persistentYield=true $jit" \
      step two-submit-persist 300 "$x" demo --processes 2 --server "$sock" --duration 180 --warmup 3 --modes xsched-hpf \
      --output $out/two-submit-persist > $out/1-two-submit-persist.txt 2>&1
    mps_and_server_stop
    # Each setting in its own JVM: the JIT's state of one would carry into the next.
    step decision 120 "$x" bench decision --output $out/decision > $out/2-decision.txt 2>&1
    step decision-submit 120 "$x" bench decision --decide-on-submit --output $out/decision-submit > $out/3-decision-submit.txt 2>&1
    demo_summaries $out/1-*.txt
    grep -h "decides\|online submission\|ended before" $out/[2-3]-*.txt
    ;;
  d)
    # The same sitting's baselines: the defaults until this round.
    XSCHED_JAVA_OPTS=$jit_default step hpf 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf $old_defaults \
      --output $out/hpf > $out/1-hpf.txt 2>&1
    command -v nvidia-cuda-mps-control > /dev/null || { echo "no nvidia-cuda-mps-control on this host" >&2; exit 1; }
    mps_and_server_start
    [ -S "$sock" ] || { echo "the server's socket did not appear: $(cat $out/server.log)" >&2; mps_and_server_stop; exit 1; }
    XSCHED_JAVA_OPTS=$jit_default step two 300 "$x" demo --processes 2 --server "$sock" --duration 180 --warmup 3 \
      --modes xsched-hpf $old_defaults --output $out/two > $out/2-two.txt 2>&1
    mps_and_server_stop
    demo_summaries $out/[1-2]-*.txt
    ;;
  e)
    # b again on a fresh lease, shorter to fit what device time was left: 100 s.
    XSCHED_DECIDE_ON_SUBMIT=true XSCHED_JAVA_OPTS="-Dxsched.resnet.persistentYield=true -XX:CompileThresholdScaling=0.05" \
      step submit-persist-jit 150 "$x" demo --duration 100 --warmup 3 --modes xsched-hpf --output $out/e-jit \
      > $out/1-e-jit.txt 2>&1
    demo_summaries $out/1-*.txt
    grep -h "stolen" $out/1-e-jit.txt
    ;;
  *) echo "unknown part '$part' (a, b, c, d or e)" >&2; exit 2 ;;
esac
pack_results round23-$part
