#!/usr/bin/env bash
# Round 24 on the NVIDIA H200: not run yet (planned after round 23, 2026-12-03). The demo's new
# defaults (round 23: deciding on the submitting thread, persistent grids in one process, the JIT
# compiling early) measured 180 s per mode in one sitting beside both models alone, as issue 13
# asks, and the two-process run beside them for issue 12. From the repository root with the bundle
# at .device/r/ and $OUT set; move docs/data's folders aside for the call, as rounds 14 to 23 did.
# Run a, b and c back to back (one lease): each call stays under the 10-minute limit of one call.
#
#   bash docs/device/round24.sh a   # standalone-hp, then xsched-hpf with the defaults, 180 s each (about 7 min)
#   bash docs/device/round24.sh b   # standalone-lp, then xsched-hpf in two processes under MPS with the defaults, 180 s each
#   bash docs/device/round24.sh c   # xsched-hpf with the defaults again, then native-priority, 180 s each (the spread of a's
#                                   # run, and the row a user compares with)
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, mps_and_server_*, demo_summaries, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a, b or c}
env_info

case $part in
  a)
    step alone 300 "$x" demo --duration 180 --warmup 3 --modes standalone-hp --output $out/alone > $out/1-alone.txt 2>&1
    step hpf 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/hpf > $out/2-hpf.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  b)
    step lp 300 "$x" demo --duration 180 --warmup 3 --modes standalone-lp --output $out/lp > $out/1-lp.txt 2>&1
    command -v nvidia-cuda-mps-control > /dev/null || { echo "no nvidia-cuda-mps-control on this host" >&2; exit 1; }
    mps_and_server_start
    [ -S "$sock" ] || { echo "the server's socket did not appear: $(cat $out/server.log)" >&2; mps_and_server_stop; exit 1; }
    step two 300 "$x" demo --processes 2 --server "$sock" --duration 180 --warmup 3 --modes xsched-hpf \
      --output $out/two > $out/2-two.txt 2>&1
    mps_and_server_stop
    demo_summaries $out/[1-2]-*.txt
    ;;
  c)
    step hpf-again 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/hpf-again > $out/1-hpf-again.txt 2>&1
    step native-priority 300 "$x" demo --duration 180 --warmup 3 --modes native-priority --output $out/native-priority \
      > $out/2-native-priority.txt 2>&1
    demo_summaries $out/[1-2]-*.txt
    ;;
  *) echo "unknown part '$part' (a, b or c)" >&2; exit 2 ;;
esac
pack_results round24-$part
