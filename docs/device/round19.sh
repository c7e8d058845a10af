#!/usr/bin/env bash
# Round 19 on the NVIDIA H200: a ran on 2026-12-03 12:13 UTC with the bundle of main at cee176f
# (docs/data/2026-12-03-h200-round19/a/, docs/multiprocess.md). From the repository root with the
# bundle at .device/r/ and $OUT set; one call of about 7 minutes. Move docs/data's folders aside for the call (the
# tracked tree and the bundle exceed what a call carries), as rounds 14 to 18 did.
#
#   bash docs/device/round19.sh a   # what in the batch process's in-flight work slows the online kernels
#
# a: round 18 found the two-process gap (online span 2.04 against 1.71 ms in one process, P99
#    1.35x) to be SMs, not the clock: with the LP process at 90% of the SMs, 1.87 ms and 1.10x, at
#    90% of the batch job. noop_tail.py showed one candidate in isolation, the blocks of a yielded
#    kernel that had not started, each dispatched only to exit, which delay online kernels more
#    across MPS clients than in one process. The LP queue's work in flight when a request arrives
#    is what such tails come from: xsched-hpf in two processes under MPS, 60 s each, with the LP
#    queue at its default (threshold 2, batch 1), at threshold 1 (one kernel in flight), gated
#    (--device-gate on: nothing queued starts), and at 95% of the SMs (the trade's other point);
#    then one process for the ratio. If threshold 1 and the gate move the span little, the tails
#    of the one running kernel, or something else beside them, are the gap.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, with_clocks, mps_and_server_*, demo_table, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a}
env_info
case $part in
  a)
    mps_and_server_start     # gpu-steps.sh: MPS daemon and server, $sock
    n=0
    for variant in default threshold-1 gated sm95; do
      n=$((n + 1))
      case $variant in
        default) extra=(--device-gate off) ;;   # the default when it ran; gated by default since d0d1caf
        threshold-1) extra=(--threshold 1 --batch-size 1 --device-gate off) ;;
        gated) extra=(--device-gate on) ;;
        sm95) extra=(--lp-env CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=95 --device-gate off) ;;
      esac
      step demo-2p-$variant 150 "$x" demo --processes 2 --server "$sock" --duration 60 --warmup 3 --modes xsched-hpf \
        ${extra[@]+"${extra[@]}"} --output $out/two-$variant > $out/$n-two-$variant.txt 2>&1
    done
    mps_and_server_stop
    step demo-1p 150 "$x" demo --duration 60 --warmup 3 --modes xsched-hpf --output $out/one > $out/5-one.txt 2>&1
    for f in $out/[1-5]-*.txt; do
      echo "== $f"; demo_table $f | head -3; grep -A3 "where the HP time goes" $f | tail -1
    done
    ;;
  *) echo "unknown part '$part' (a)" >&2; exit 2 ;;
esac
pack_results round19-$part
