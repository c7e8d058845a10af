#!/usr/bin/env bash
# Round 16 on the NVIDIA H200: a, b and c ran on 2026-12-03, 07:23-07:51 UTC (data and findings in
# docs/data/2026-12-03-h200-round16/README.md).
# From the repository root with the bundle at .device/r/ and $OUT set; a call of 2.5-3.5 minutes each.
#
#   bash docs/device/round16.sh a   # the gates' order (PyTorch), then example blas with the SM clock (~2.5 min)
#   bash docs/device/round16.sh b   # a again (the order fixed), example blas with native-priority, 30 s per mode (~3.5 min)
#   bash docs/device/round16.sh c   # two processes under MPS, the LP an MPS client of normal, lower, normal priority (~5 min)
#
# a: round 15 f found the online requests beside the gated GEMM job waiting no longer for their
#    first kernel (0.03 ms) but running longer (GPU span 2.06 ms against 1.44 alone, at 8 and 16
#    panels alike). Two candidates: the stream memory wait is passed as soon as the stream's front
#    end reaches it, so that more than the panel running keeps the SMs after a suspend
#    (docs/device/gate_order.py tells), or the GPU's clocks come down under the GEMM job's power
#    and the online kernels run slower at any scheduling (the SM clock and power every 100 ms
#    through each mode tell).
# c: issue 12's remaining gap: under MPS the online kernels' GPU span is 0.21 ms longer beside the
#    batch model in another process than in one process (rounds 14, 15 d), and MPS alone costs
#    nothing (round 13). Stream priorities order the blocks of one context's streams; whether they
#    order two MPS clients' streams is not documented, while CUDA_MPS_CLIENT_PRIORITY=1 (a client's
#    variable, read when it connects; no GPU setting) makes a client's work of lower priority than
#    a normal client's. xsched-hpf in two processes, 75 s each: the LP process a normal client, a
#    client of lower priority (--lp-env), a normal client again.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, with_clocks, clocks_per_second, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a, b or c}
env_info
case $part in
  a)
    python3 "$here/gate_order.py" 5 > $out/1-gate-order.txt 2>&1
    cat $out/1-gate-order.txt
    export XSCHED_CUBLAS_LIBRARY=/usr/local/cuda/lib64
    with_clocks $out/clocks.csv step blas-clocks 200 "$x" example blas --duration 20 --warmup 2 \
      --modes standalone-hp,standalone-lp,xsched-hpf --panels 8 --threshold 4 --device-gate on \
      > $out/2-blas-clocks.txt 2>&1
    sed -n '/^mode  /,$p' $out/2-blas-clocks.txt
    # The SM clock and power per mode: the modes run in order, each for its warm-up and duration.
    clocks_per_second $out/clocks.csv > $out/3-clocks-per-second.txt
    cat $out/3-clocks-per-second.txt | awk 'NR%5==1'
    ;;
  b)
    python3 "$here/gate_order.py" 5 > $out/1-gate-order.txt 2>&1
    cat $out/1-gate-order.txt
    export XSCHED_CUBLAS_LIBRARY=/usr/local/cuda/lib64
    with_clocks $out/clocks.csv step blas-clocks 300 "$x" example blas --duration 30 --warmup 2 \
      --modes standalone-hp,standalone-lp,native-priority,xsched-hpf --panels 8 --threshold 4 --device-gate on \
      > $out/2-blas-clocks.txt 2>&1
    sed -n '/^mode  /,$p' $out/2-blas-clocks.txt
    clocks_per_second $out/clocks.csv > $out/3-clocks-per-second.txt
    awk 'NR%4==1' $out/3-clocks-per-second.txt | tr '\n' ';'
    ;;
  c)
    mps_and_server_start     # gpu-steps.sh: MPS daemon and server, $sock
    step mps-normal-1 150 "$x" demo --processes 2 --device-gate off --server "$sock" --duration 75 --warmup 3 --modes xsched-hpf \
      --output $out/normal-1 > $out/1-normal-1.txt 2>&1
    step mps-lp-below-normal 150 "$x" demo --processes 2 --device-gate off --server "$sock" --duration 75 --warmup 3 --modes xsched-hpf \
      --lp-env CUDA_MPS_CLIENT_PRIORITY=1 --output $out/lp-below-normal > $out/2-lp-below-normal.txt 2>&1
    step mps-normal-2 150 "$x" demo --processes 2 --device-gate off --server "$sock" --duration 75 --warmup 3 --modes xsched-hpf \
      --output $out/normal-2 > $out/3-normal-2.txt 2>&1
    mps_and_server_stop
    for f in $out/1-normal-1.txt $out/2-lp-below-normal.txt $out/3-normal-2.txt; do
      echo "== $f"; grep "environment adds" $f; demo_table $f | head -4; grep -A4 "where the HP time goes" $f | head -5
    done
    ;;
  *) echo "unknown part '$part' (a, b or c)" >&2; exit 2 ;;
esac
pack_results round16-$part
