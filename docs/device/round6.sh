#!/usr/bin/env bash
# Round 6 on the NVIDIA H200: after the queue core's split and the device gate (issues 14 and 15),
# what the GPU still has to say, in calls of the device tool of under ten minutes each.
# From the repository root with the bundle at .device/r/ and $OUT set:
#
#   bash docs/device/round6.sh a   # GPU suite + the chunked TF32 loop's stop test (round5.sh a);
#                                  # the launch overheads (round3-launch.sh); the 10-million-command
#                                  # soak with NMT; bench policies (up partition, kedf deadlines)
#   bash docs/device/round6.sh b   # cuBLAS panels with and without the device gate (round4.sh e);
#                                  # the HP model with a warm and a cold L2 (round5.sh b)
#   bash docs/device/round6.sh c   # the scenario in two processes, without and with MPS (round5-mps.sh)
#   bash docs/device/round6.sh d   # ~5 min: the two best gated cuBLAS rows of b again, 60 s per mode
#                                  # (b's rows are 15 s each: too short to hold a P99)
#   bash docs/device/round6.sh e   # ~3.5 min: d's p4 t2 row again, with both baselines beside it
#   bash docs/device/round6.sh f   # ~1.5 min: the ResNet GPU tests with the chunked TF32 loop and without
#
# Each part's pieces write to their own folder under $OUT (what to look for: the script named
# beside the folder), and everything goes back as one archive, round6-PART.tgz.
set -u
here=$(dirname "$0")
root=$OUT
# Runs one of the round scripts with $OUT set to its own folder: sub FOLDER SCRIPT [ARGS...]
sub() { local dir=$root/$1; shift; mkdir -p "$dir"; OUT=$dir bash "$here/$@"; }
case ${1:?a to f} in
  a)
    sub stop round5.sh a
    sub launch round3-launch.sh
    home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched   # unpacked by round5.sh
    . "$here/gpu-steps.sh"   # step
    mkdir -p $root/soak $root/policies
    XSCHED_JAVA_OPTS="-XX:NativeMemoryTracking=summary -Xms4g -Xmx4g -XX:-UseDynamicNumberOfCompilerThreads" \
      step soak 120 "$x" soak --queues 1000 --commands 10000000 > $root/soak/2-soak.txt 2>&1
    step bench-policies 150 "$x" bench policies --only partition,deadline --modes native,xsched-up,xsched-kedf \
      --duration 20 --warmup 1 --output $root/policies > $root/policies/1-bench-policies.txt 2>&1
    grep -h "exactly once\|FLAT\|GROWING\|PASSED\|FAILED" $root/soak/2-soak.txt
    cat /tmp/launch/summary.txt 2>/dev/null | tail -8
    grep -h "kedf\|up " $root/policies/1-bench-policies.txt | tail -8
    ;;
  b)
    sub blas round4.sh e
    sub cache round5.sh b
    ;;
  c)
    sub mps round5-mps.sh
    ;;
  d)
    mkdir -p /tmp/xb $root/blas60; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
    home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
    . "$here/gpu-steps.sh"   # step
    export XSCHED_CUBLAS_LIBRARY=/usr/local/cuda/lib64
    { step blas-p8t4 260 "$x" example blas --duration 60 --warmup 2 --modes standalone-hp,standalone-lp,xsched-hpf \
        --panels 8 --threshold 4 --device-gate on
      step blas-p4t2 90 "$x" example blas --duration 60 --warmup 2 --modes xsched-hpf \
        --panels 4 --threshold 2 --device-gate on
    } > $root/blas60/1-blas.txt 2>&1
    grep -h -A5 "^mode  " $root/blas60/1-blas.txt
    ;;
  e)
    mkdir -p /tmp/xb $root/blas60b; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
    x=/tmp/xb/xsched-bundle-linux-x86_64/bin/xsched
    export XSCHED_CUBLAS_LIBRARY=/usr/local/cuda/lib64
    { date -u; timeout 260 "$x" example blas --duration 60 --warmup 2 \
        --modes standalone-hp,standalone-lp,xsched-hpf --panels 4 --threshold 2 --device-gate on; echo "exit $?"
    } > $root/blas60b/1-blas.txt 2>&1
    tail -8 $root/blas60b/1-blas.txt
    ;;
  f)
    mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
    home=/tmp/xb/xsched-bundle-linux-x86_64
    . "$here/gpu-steps.sh"   # resnet_gpu_tests
    { resnet_gpu_tests 80 -Dxsched.resnet.tf32Chunked=true; resnet_gpu_tests 80; } > $root/resnet-tests.txt 2>&1
    grep -h "tests successful\|tests failed\|✘\|^== " $root/resnet-tests.txt
    ;;
  *) echo "unknown part '$1' (a to f)" >&2; exit 2 ;;
esac
tar -czf /tmp/round6-$1.tgz -C "$root" --exclude='*.tgz' . && mv /tmp/round6-$1.tgz "$root/"
