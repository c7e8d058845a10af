#!/usr/bin/env bash
# Round 7 on the NVIDIA H200: what round 6 left open for the scenario's online tail (issue 13).
# From the repository root with the bundle at .device/r/ and $OUT set; part a takes about 6.5
# minutes of device time, then the 180 s side-by-side run with the chunked TF32 loop, which round
# 6 cleared (its GPU tests pass), in three more calls:
#
#   bash docs/device/round7.sh a
#   bash docs/device/round7.sh b   # ~1.5 min: bench launch's XQueue rows at 16/8, 64/16 and 256/64
#   bash docs/device/round7.sh c   # ~1.5 min: bench policies (up, kedf), now with each instance's GCs
#   KERNEL_OPTS=-Dxsched.resnet.tf32Chunked=true bash docs/device/round4.sh b   # ~7 min
#   KERNEL_OPTS=-Dxsched.resnet.tf32Chunked=true bash docs/device/round4.sh c   # ~6.5 min
#   bash docs/device/round4.sh d                                                # ~6 min, PyTorch
#
# a: the online model alone, then beside the batch model under xsched-hpf with its XQueue's
#    waiter polling 100 us before blocking (the default) and polling for up to 5 ms (a whole
#    request: -Dxsched.scenario.hpWaitSpinMicros=5000, what a stream's synchronize does under the
#    driver's default scheduling), 60 s each. Look at 'where the HP time goes': the host wake-up
#    of the slowest 1% (round 6: 0.42 ms under xsched-hpf, 0.00 alone) and the P99 (round 6: 2.31
#    ms, 1.34x alone). Then with the online model's XQueue at threshold 64
#    (-Dxsched.scenario.hpThreshold=64: a whole request released at once, as on the baseline's
#    stream, where at 16 its later kernels wait for sync points of its first): its GPU span (round
#    6: 1.69 ms mean beside the batch model against 1.49 alone). What helps goes into the
#    side-by-side run too (round4.sh takes JVM options only from KERNEL_OPTS: put them there).
# b: where the XQueue's back-to-back time goes (issue 15: 1.186x empty, 1.039x at 5 us in round 6,
#    goals 1.10x and 1.01x): the same rows with fewer sync points per launch and more launches in
#    flight. If 64/16 comes near the goals, the sync points' events and the threshold's waits are
#    the cost, not the submit path.
# c: kedf's misses (issue 15, goal 0; round 6: 3, all in one 5-6 ms stall at 18.98 s): whether
#    such a stall is a garbage collection (deadline-responses.csv's gc_count/gc_ms of the missed rows).
set -u
here=$(dirname "$0")
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
. "$here/gpu-steps.sh"   # step
case ${1:?a, b or c} in
  a)
    { date -u +%FT%TZ; nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv; } > $out/0-env.txt 2>&1
    {
      step default 200 "$x" demo --duration 60 --warmup 3 --modes standalone-hp,xsched-hpf --output $out/default
      XSCHED_JAVA_OPTS=-Dxsched.scenario.hpWaitSpinMicros=5000 step spin 110 "$x" demo --duration 60 --warmup 3 \
        --modes xsched-hpf --output $out/spin
      XSCHED_JAVA_OPTS=-Dxsched.scenario.hpThreshold=64 step deep 110 "$x" demo --duration 60 --warmup 3 \
        --modes xsched-hpf --output $out/deep
    } > $out/1-wait-spin.txt 2>&1
    grep -h -A3 "slowest 1%\|^mode  " $out/1-wait-spin.txt
    ;;
  b)
    { for tb in "16 8" "64 16" "256 64"; do
        read -r t b <<< "$tb"
        step "launch-$t-$b" 60 "$x" bench launch --iterations 5000 --warmup 5000 --threshold "$t" --batch-size "$b"
      done
    } > $out/2-launch-threshold.txt 2>&1
    grep -h "^== \|XQueue/stream\|kernel, XQueue" $out/2-launch-threshold.txt
    ;;
  c)
    step bench-policies 150 "$x" bench policies --only partition,deadline --modes native,xsched-up,xsched-kedf \
      --duration 20 --warmup 1 --output $out/policies > $out/3-bench-policies.txt 2>&1
    grep -h "misses per mode\|goal" $out/3-bench-policies.txt
    awk -F, '$6 == 1 && $1 == "xsched-kedf"' $out/policies/deadline-responses.csv
    ;;
  *) echo "unknown part '$1' (a, b or c; the side-by-side run is docs/device/round4.sh b, c and d)" >&2; exit 2 ;;
esac
tar -czf /tmp/round7-$1.tgz -C "$out" --exclude='*.tgz' . && mv /tmp/round7-$1.tgz "$out/"
