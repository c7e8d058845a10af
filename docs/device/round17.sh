#!/usr/bin/env bash
# Round 17 on the NVIDIA H200: a, b and c ran on 2026-12-03, 08:57-09:06 UTC (data and findings in
# docs/data/2026-12-03-h200-round17/README.md). From the repository root with the bundle at .device/r/
# and $OUT set; three calls, about 1, 5 and 3 minutes. The tracked tree (43 MB, 39 of them under
# docs/data) and the bundle (32 MB) exceed what a call carries (64 MiB): move docs/data's folders
# aside for the calls, as rounds 14 to 16 did.
#
#   bash docs/device/round17.sh a   # how fast the SM clock comes back once the power-capped GEMM job stops
#   bash docs/device/round17.sh b   # two processes under MPS: decisions without and with 300 us spins
#   bash docs/device/round17.sh c   # example blas, gated, 8 panels: column panels against depth panels
#
# a: round 16 (docs/data/2026-12-03-h200-round16/) found the GPU at its 700 W limit beside the
#    TF32 GEMM job, 1530-1620 MHz in nvidia-smi's 100 ms samples against 1980 MHz with the online
#    model alone, and the online kernels' GPU span 1.38x longer. Whether the online kernels run at
#    that clock depends on how fast the clock comes back within a 2 ms request once the scheduler
#    stops the GEMMs: docs/device/clock_response.py measures the SM clock with a probe kernel
#    (clock64 against %globaltimer) from the moment the GEMMs end, and beside them running.
# b: issue 12's remaining gap is the online kernels' GPU span in two processes (1.88-2.00 ms
#    against 1.67 in one; round 16 c: not the MPS client priority). One difference is how late the
#    LP process stops: in one process the scheduling thread raises the LP's flag at once; in two,
#    the decision crosses the server's socket twice (P50 42-48 us without spins, 20-23 us with
#    every thread on the path spinning, docs/multiprocess.md), and meanwhile the LP's blocks keep
#    taking the SMs. xsched-hpf in two processes, 75 s each, without spins, with 300 us spins
#    (XSCHED_IPC_SPIN_US, XSCHED_SERVER_SPIN_US, XSCHED_SCHEDULER_SPIN_US), without again; a new
#    server and MPS daemon for each.
# c: beside the gated GEMM job the online kernels wait for the SMs held by the panel running, whose
#    thread blocks each run the whole inner loop (8192) with column panels; depth panels (--split k)
#    have blocks 8 times shorter at 8 panels. 30 s per mode, with the SM clock.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # env_info, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a, b or c}
env_info
case $part in
  a)
    python3 "$here/clock_response.py" --cycles 20 > $out/1-clock-response.txt 2>&1
    cat $out/1-clock-response.txt
    ;;
  b)
    n=0
    for spin in 0 300 0; do
      n=$((n + 1))
      export XSCHED_IPC_SPIN_US=$spin XSCHED_SERVER_SPIN_US=$spin XSCHED_SCHEDULER_SPIN_US=$spin
      mps_and_server_start   # gpu-steps.sh: MPS daemon and server (with the spins above), $sock
      step mps-spin-$spin-$n 150 "$x" demo --processes 2 --device-gate off --server "$sock" --duration 75 --warmup 3 \
        --modes xsched-hpf --output $out/spin-$spin-$n > $out/$n-spin-$spin.txt 2>&1
      mps_and_server_stop
      mv $out/server.log $out/server-$n.log; mv $out/control.log $out/control-$n.log 2>/dev/null
      echo "== run $n, spins $spin us"; demo_table $out/$n-spin-$spin.txt | head -4
      grep -A3 "where the HP time goes" $out/$n-spin-$spin.txt | tail -1
    done
    ;;
  c)
    export XSCHED_CUBLAS_LIBRARY=/usr/local/cuda/lib64
    for split in n k; do
      with_clocks $out/clocks-$split.csv step blas-split-$split 200 "$x" example blas --duration 30 --warmup 2 \
        --modes standalone-hp,standalone-lp,xsched-hpf --panels 8 --threshold 4 --device-gate on --split $split \
        > $out/$split-blas.txt 2>&1
      sed -n '/^mode  /,/^(HP/p' $out/$split-blas.txt; grep -A4 "where the HP time goes" $out/$split-blas.txt | tail -3
    done
    ;;
  *) echo "unknown part '$part' (a, b or c)" >&2; exit 2 ;;
esac
pack_results round17-$part
