#!/usr/bin/env bash
# Round 23 on the NVIDIA H200: not run yet (planned 2026-12-03, after round 22 used the session's
# device time). From the repository root with the bundle at .device/r/ and $OUT set; move
# docs/data's folders aside for the call, as rounds 14 to 22 did. Run a and b back to back, so
# that they share a lease (one sitting): each stays under the 10-minute limit of one call.
#
#   bash docs/device/round23.sh a   # one process: standalone-hp, xsched-hpf as is, 180 s each (about 7 min)
#   bash docs/device/round23.sh b   # one process: xsched-hpf deciding on submit with persistent grids, standalone-lp (about 7 min)
#   bash docs/device/round23.sh c   # two processes under MPS, gated: as is, then deciding on submit, 180 s each (about 7 min)
#   bash docs/device/round23.sh d   # xsched bench decision on the GPU host: as is, deciding on submit, and with the JIT
#                                   # compiling early (CompileThresholdScaling 0.05), 600 requests each (about 2 min)
#
# Round 22 (docs/results.md) found the online model's excess GPU span under xsched-hpf to be the
# batch model still running, late by the host's decision (0.30 ms from the online submission to
# the suspend applied, 0.11 ms of it the scheduling thread's wake-up) and by the not-started
# blocks of its stopped kernels. Deciding on the submitting thread (XScheduler.Builder#decideOnSubmit)
# with persistent grids brought the online kernels within 35 us of the model alone and the median
# latency from 1.79 to 1.67 ms in 30 s runs; these are issue 13's and issue 12's 180 s figures for
# that setting beside the defaults. The environment variable (XSCHED_DECIDE_ON_SUBMIT) reaches the
# LP process of a two-process demo by inheritance (the demo also forwards xsched.* properties).
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, mps_and_server_*, demo_summaries, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a, b, c or d}
env_info

case $part in
  a)
    step alone 300 "$x" demo --duration 180 --warmup 3 --modes standalone-hp --output $out/alone > $out/1-alone.txt 2>&1
    step hpf 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/hpf > $out/2-hpf.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  b)
    XSCHED_DECIDE_ON_SUBMIT=true XSCHED_JAVA_OPTS=-Dxsched.resnet.persistentYield=true \
      step submit-persist 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/submit-persist \
      > $out/1-submit-persist.txt 2>&1
    step lp 300 "$x" demo --duration 180 --warmup 3 --modes standalone-lp --output $out/lp > $out/2-lp.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  c)
    command -v nvidia-cuda-mps-control > /dev/null || { echo "no nvidia-cuda-mps-control on this host" >&2; exit 1; }
    mps_and_server_start
    [ -S "$sock" ] || { echo "the server's socket did not appear: $(cat $out/server.log)" >&2; mps_and_server_stop; exit 1; }
    step two 300 "$x" demo --processes 2 --server "$sock" --duration 180 --warmup 3 --modes xsched-hpf \
      --output $out/two > $out/1-two.txt 2>&1
    XSCHED_DECIDE_ON_SUBMIT=true step two-submit 300 "$x" demo --processes 2 --server "$sock" --duration 180 --warmup 3 \
      --modes xsched-hpf --output $out/two-submit > $out/2-two-submit.txt 2>&1
    mps_and_server_stop
    demo_summaries $out/[1-2]-*.txt
    ;;
  d)
    # Each setting in its own JVM: the JIT's state of one would carry into the next.
    step decision 120 "$x" bench decision --output $out/decision > $out/1-decision.txt 2>&1
    step decision-submit 120 "$x" bench decision --decide-on-submit --output $out/decision-submit > $out/2-decision-submit.txt 2>&1
    XSCHED_JAVA_OPTS=-XX:CompileThresholdScaling=0.05 step decision-submit-jit 120 "$x" bench decision --decide-on-submit \
      --output $out/decision-submit-jit > $out/3-decision-submit-jit.txt 2>&1
    grep -h "decides\|online submission\|ended before" $out/[1-3]-*.txt
    ;;
  *) echo "unknown part '$part' (a, b, c or d)" >&2; exit 2 ;;
esac
pack_results round23-$part
