#!/usr/bin/env bash
# Round 18 on the NVIDIA H200: a, b, c and d ran on 2026-12-03, 09:32-09:59 UTC (data and findings in
# docs/data/2026-12-03-h200-round18/README.md). From the repository root with the bundle at .device/r/
# and $OUT set; calls of about 6 and 1 minutes. Move docs/data's folders aside for the calls (the
# tracked tree and the bundle exceed what a call carries), as rounds 14 to 17 did.
#
#   bash docs/device/round18.sh a   # the SM clock beside the batch model in one and in two processes
#   bash docs/device/round18.sh b   # what a sync point costs between back-to-back kernels, in C
#   bash docs/device/round18.sh c   # b again with a launch's programmatic event (cuLaunchKernelEx)
#   bash docs/device/round18.sh d   # whether a yielded kernel's exiting blocks delay the online kernels (~1 min)
#
# a: issue 12's remaining gap is the online kernels' GPU span in two processes under MPS (1.88-2.00
#    ms against 1.67 in one; not MPS by itself, round 13; not the MPS client priority, round 16 c;
#    not how late the LP stops, round 17 b). Round 17 a found the SM clock of a GPU at its power
#    limit stays down for at least 5 ms after the load stops, and one process's xsched-hpf ran at
#    1980 MHz and about 606 W (round 15 c): two processes under MPS may draw more and lose clock.
#    xsched-hpf 60 s in one process, then in two under MPS, each with the SM clock and power every
#    100 ms; then two processes with the LP process given at most 90% of the SMs
#    (CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=90, a client's variable; no GPU setting): whether the
#    online kernels' span is the LP's blocks taking SMs the HP's want, and what the LP pays. Last,
#    30 s of two processes with the LP's queue gated (--device-gate on), which no GPU has run yet.
# b: issue 15's back-to-back goal at 5 us kernels (an XQueue at most 1.01x the stream's time) is
#    missed at the default 16/8 (1.03-1.05x) and met at 256/64 (1.006x): docs/device/sync_point_cost.c
#    times back-to-back kernels on a plain stream with an event recorded after every 8th or 64th,
#    with and without a host thread waiting on each, and with a stream memory write instead.
# c: b found every marker between two kernels costs the GPU about 2.4 us (1.047x at 5 us kernels
#    with one per 8): whether a completion event carried by the launch itself
#    (CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_EVENT) avoids that. (c ran with one event pool for both
#    kinds; sync_point_cost.c now gives each its own.)
# d: a found the two-process gap is SMs, not the clock. Our yieldable kernels keep one progress
#    word per block, so a yielded kernel still dispatches every block it had not started, each
#    exiting at its first check; docs/device/noop_tail.py times a small online kernel beside such
#    grids in one process (with and without the higher stream priority) and from another process
#    under MPS, and beside persistent grids that exit in one wave.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, with_clocks, clocks_per_second, mps_and_server_*, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a, b, c or d}
env_info
case $part in
  a)
    with_clocks $out/clocks-1p.csv step demo-1p 200 "$x" demo --duration 60 --warmup 3 --modes xsched-hpf \
      --output $out/one > $out/1-one-process.txt 2>&1
    mps_and_server_start     # gpu-steps.sh: MPS daemon and server, $sock
    with_clocks $out/clocks-2p.csv step demo-2p 200 "$x" demo --processes 2 --device-gate off --server "$sock" --duration 60 --warmup 3 \
      --modes xsched-hpf --output $out/two > $out/2-two-processes.txt 2>&1
    with_clocks $out/clocks-2p-sm90.csv step demo-2p-sm90 200 "$x" demo --processes 2 --device-gate off --server "$sock" --duration 60 \
      --warmup 3 --modes xsched-hpf --lp-env CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=90 --output $out/two-sm90 \
      > $out/3-two-processes-lp-sm90.txt 2>&1
    # The LP process's gated queue (session 15's code, not yet run on a GPU): 30 s, that it works.
    step demo-2p-gate 150 "$x" demo --processes 2 --server "$sock" --duration 30 --warmup 3 --modes xsched-hpf \
      --device-gate on --output $out/two-gated > $out/5-two-processes-gated.txt 2>&1
    mps_and_server_stop
    for c in 1p 2p 2p-sm90; do
      echo "== clocks-$c.csv, per second"; clocks_per_second $out/clocks-$c.csv
    done > $out/4-clocks-per-second.txt
    for f in $out/1-one-process.txt $out/2-two-processes.txt $out/3-two-processes-lp-sm90.txt $out/5-two-processes-gated.txt; do
      echo "== $f"; grep "environment adds" $f; demo_table $f | head -4; grep -A4 "where the HP time goes" $f | head -5
    done
    for c in 1p 2p 2p-sm90; do
      echo "== clocks-$c: SM MHz and W per second, counts of each MHz value"
      clocks_per_second $out/clocks-$c.csv | awk '{print $2}' | sort | uniq -c | sort -rn | head -4
      clocks_per_second $out/clocks-$c.csv | awk '{w += $4; n++} END {if (n) printf "mean power %.0f W over %d s\n", w / n, n}'
    done
    ;;
  b|c)
    # b ran sync_point_cost.c as of d6d747f (no launch-event variants), 5 rounds; c, 3 rounds, adds them.
    if [ "$part" = b ]; then launches=100000 rounds=5; else launches=100000 rounds=3; fi
    gcc -O2 -Wall -pthread -o /tmp/sync_point_cost "$here/sync_point_cost.c" -I/usr/local/cuda/include \
      -L/usr/local/cuda/lib64 -L/usr/local/cuda/lib64/stubs -Wl,-rpath,/usr/local/cuda/lib64 -lcuda -lnvrtc \
      > $out/1-sync-point-cost.txt 2>&1 &&
      step sync-point-cost 300 /tmp/sync_point_cost --launches "$launches" --rounds "$rounds" >> $out/1-sync-point-cost.txt 2>&1
    cat $out/1-sync-point-cost.txt
    ;;
  d)
    python3 "$here/noop_tail.py" > $out/1-noop-tail.txt 2>&1
    mps_and_server_start     # gpu-steps.sh: an MPS daemon (and a server, unused here)
    python3 "$here/noop_tail.py" --modes alone,tail-2p,persistent-2p > $out/2-noop-tail-mps.txt 2>&1
    mps_and_server_stop
    cat $out/1-noop-tail.txt $out/2-noop-tail-mps.txt
    ;;
  *) echo "unknown part '$part' (a, b, c or d)" >&2; exit 2 ;;
esac
pack_results round18-$part
