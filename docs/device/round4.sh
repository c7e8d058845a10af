#!/usr/bin/env bash
# Round 4 on the NVIDIA H200: the measurements this project's open issues still need, planned to fit
# one session's 30 minutes of device time in five calls of under ten minutes each. Run from the
# repository root with the bundle at .device/r/ and $OUT set (the device tool's conventions):
#
#   bash docs/device/round4.sh a    # ~5 min: GPU suite (also with the chunked TF32 loop); where the
#                                   # yieldable TF32 kernels lose time; the SM clock per mode
#   KERNEL_OPTS=... bash docs/device/round4.sh b   # ~7 min: the scenario alone per job, 180 s each;
#                                   # the simulator's TF32 trace
#   KERNEL_OPTS=... bash docs/device/round4.sh c   # ~6.5 min: native-priority and xsched-hpf, 180 s each
#   bash docs/device/round4.sh d    # ~6 min: PyTorch + cuDNN, HP on the highest-priority stream, 180 s
#   bash docs/device/round4.sh e    # ~4 min: the device gate on cuBLAS panels (issue 14), beside host gating
#
# KERNEL_OPTS: the JVM options of the TF32 loop variant that part a found fastest (for example
# "-Dxsched.resnet.tf32Chunked=true -Dxsched.resnet.tf32YieldEvery=8"), the same in b and c; empty
# keeps the defaults. Parts b, c and d together are issue 13's side-by-side run (180 s per mode, the
# seed's duration); issue 12's two-process run is docs/device/round4-ipc.sh.
#
# What to look for:
#   a  1-gpu-test.txt and 1-gpu-test-chunked.txt pass. 2-yield-overhead.txt: '% of plain' per
#      variant (now 93.6%; the LP goal of 95% of standalone needs about 98.5%, the LP being held
#      3.5% of the time), and per launch (--layers) which layers lose. clocks-*.csv: the SM clock
#      while the HP model runs alone against beside the batch model (its GPU span grew from 1.45 to
#      1.72 ms in round 3: is it the clock under the batch model's power draw?).
#   b  3-demo.txt: standalone HP P99 and LP it/s (the baselines); trace/h200-resnet-trace-tf32.csv
#      goes to examples/src/main/resources/dev/xsched/examples/scenario/ as docs/device/trace-tf32.sh
#      says (docs/simulator.md).
#   c  4-demo.txt: xsched-hpf HP P99 <= 1.1x and P99.9 <= 1.5x the standalone ones of b, LP >= 95%.
#   d  5-pytorch.txt: our xsched-hpf HP P99 below PyTorch's, our LP at least PyTorch's.
#   e  6-blas-gate.txt: a 'xsched-hpf pN tM gated' row with HP P99 <= 1.2x alone and GEMMs/s >= 95%
#      of alone (issue 14's two goals at once); the ungated rows of the same run beside it.
#      Budget: a, b, c, d and round4-ipc.sh use about 29 of the 30 minutes; run e first if issue 14
#      matters more than the ipc figures that session.
# Everything also goes back as one archive (the device tool returns only a few files).
set -u
here=$(dirname "$0")
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
. "$here/gpu-steps.sh"   # step, resnet_gpu_tests, with_clocks, env_info
resnet() { step "$1" "$2" "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --compare-yield "${@:3}"; }
case ${1:?a, b, c, d or e} in
  a)
    env_info
    step gpu-test 120 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    resnet_gpu_tests 90 -Dxsched.resnet.tf32Chunked=true > $out/1-gpu-test-chunked.txt 2>&1
    { resnet lead1 70 --layers
      XSCHED_JAVA_OPTS=-Dxsched.resnet.tf32FlagLead=8 resnet lead8 45
      XSCHED_JAVA_OPTS=-Dxsched.resnet.tf32Chunked=true resnet chunked-16 70 --layers
      XSCHED_JAVA_OPTS=-Dxsched.resnet.tf32Chunked=true resnet chunked-8 45 --yield-every 8
      resnet no-loop-checks 45 --yield-every 65536
    } > $out/2-yield-overhead.txt 2>&1
    for m in standalone-hp xsched-hpf; do
      with_clocks $out/clocks-$m.csv step demo-$m 45 "$x" demo --duration 15 --warmup 2 --modes $m --output $out/demo-$m > $out/3-demo-$m.txt 2>&1
    done
    grep -h "of plain\|^== " $out/2-yield-overhead.txt
    ;;
  b)
    env_info
    XSCHED_JAVA_OPTS="${KERNEL_OPTS:-}" step demo 400 "$x" demo --duration 180 --warmup 3 \
      --modes standalone-hp,standalone-lp --output $out/demo > $out/3-demo.txt 2>&1
    mkdir -p $out/trace
    OUT=$out/trace bash "$here/trace-tf32.sh"   # the simulator's TF32 trace (what to look for: that script)
    tail -12 $out/3-demo.txt
    ;;
  c)
    env_info
    XSCHED_JAVA_OPTS="${KERNEL_OPTS:-}" with_clocks $out/clocks.csv step demo 400 "$x" demo --duration 180 --warmup 3 \
      --modes native-priority,xsched-hpf --output $out/demo > $out/4-demo.txt 2>&1
    tail -16 $out/4-demo.txt
    ;;
  d)
    env_info
    step pytorch 330 python3 "$here/pytorch_scenario.py" --duration 180 --warmup 3 --modes both-hp-priority \
      --output $out/pytorch-priority.json > $out/5-pytorch.txt 2>&1
    step pytorch-alone 120 python3 "$here/pytorch_scenario.py" --duration 45 --warmup 3 --modes resnet18-alone,resnet50-alone \
      --output $out/pytorch-alone.json >> $out/5-pytorch.txt 2>&1
    tail -20 $out/5-pytorch.txt
    ;;
  e)
    env_info
    export XSCHED_CUBLAS_LIBRARY=/usr/local/cuda/lib64
    { step blas-gate 150 "$x" example blas --duration 15 --warmup 2 --modes standalone-hp,standalone-lp,xsched-hpf \
        --panels 4,8 --threshold 2,4 --device-gate on
      step blas-host 100 "$x" example blas --duration 15 --warmup 2 --modes xsched-hpf --panels 8 --threshold 1,2
    } > $out/6-blas-gate.txt 2>&1
    grep -A14 "^mode  " $out/6-blas-gate.txt
    ;;
  *) echo "unknown part '$1' (a, b, c, d or e)" >&2; exit 2 ;;
esac
tar -czf "$out/round4-$1.tgz" -C "$out" --exclude='*.tgz' . 2>/dev/null
