#!/usr/bin/env bash
# Round 9 on the NVIDIA H200: the yieldable max pool (issue 13's tail) and kedf's stalls (issue 15).
# From the repository root with the bundle at .device/r/ and $OUT set; four calls, about 27 of the
# session's 30 device minutes:
#
#   bash docs/device/round9.sh a                    # ~7 min
#   KERNEL_OPTS="..." bash docs/device/round9.sh b  # ~6.5 min: each job alone, 180 s each
#   KERNEL_OPTS="..." bash docs/device/round9.sh c  # ~6.5 min: native-priority and xsched-hpf, 180 s each
#   bash docs/device/round9.sh d                    # ~6.5 min: PyTorch, 180 s; bench policies with clocks
#   bash docs/device/round9.sh e                    # ~3 min: kedf with polling task threads, G1 and ZGC
#   bash docs/device/round9.sh f                    # ~4 min: xsched-hpf 180 s with yieldable pools; kedf x2
#   bash docs/device/round9.sh g; ... h             # ~1.5 min each: kedf on ranked streams or not
#
# As run on 2026-12-02: a (before and after the stop latch), d, e, f, g, h; b and c did not run
# (the device minutes went to the latch and kedf): round10.sh ran them (its a, b, c), with the
# kedf recordings with JFR planned here as part i (round10.sh b). Since then the yieldable pools and the ranked
# deadline streams are the defaults, so f's and g's explicit options restate them.
# a: the GPU suite (YieldablePoolGpuTest is new: max_pool2d_yield and global_avg_pool_yield stop
#    every block at a flag raised before the launch and their relaunch equals the plain kernel);
#    RunResNet --compare-yield with the yieldable pools on (what the entry check costs the batch model: 97.1% of plain
#    without it); xsched-hpf at 60 s without and with -Dxsched.resnet.yieldablePool=true. Half of
#    round 8's slowest 1% were requests that found the batch model in its 1.86 ms max pool
#    (lp_yields 0: GPU span median 2.14 ms against 1.68); with the pool yieldable they should
#    yield like the rest. If the P99 falls and the LP keeps its 7.03 it/s, put the property in
#    KERNEL_OPTS for b and c (and make it the default afterwards).
# b, c, d: issue 13's side-by-side run again, 180 s per mode, in the same sitting; d then runs
#    bench policies with the SM clock sampled (round 8's kedf misses were 39 of 44 in one 1.7 s window of
#    every task running late, with no GC: a clock dip or a host stall?).
set -u
here=$(dirname "$0")
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
. "$here/gpu-steps.sh"   # step, env_info, with_clocks
pool=-Dxsched.resnet.yieldablePool=true
case ${1:?a part, a to h} in
  a)
    env_info
    step gpu-test 150 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    tail -5 $out/1-gpu-test.txt
    XSCHED_JAVA_OPTS=$pool step compare-yield 90 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 \
      --compare-yield > $out/2-yield-overhead.txt 2>&1
    grep -h "of plain" $out/2-yield-overhead.txt
    { for v in plain-pool yieldable-pool; do
        opts=; [ $v = yieldable-pool ] && opts=$pool
        XSCHED_JAVA_OPTS=$opts step $v 110 "$x" demo --duration 60 --warmup 3 --modes xsched-hpf --output "$out/$v"
      done
    } > $out/3-pool.txt 2>&1
    grep -h "^== \|^xsched-hpf \|^  xsched-hpf " $out/3-pool.txt
    ;;
  b)
    env_info
    XSCHED_JAVA_OPTS="${KERNEL_OPTS:-}" step demo 420 "$x" demo --duration 180 --warmup 3 \
      --modes standalone-hp,standalone-lp --output $out/demo > $out/4-demo-alone.txt 2>&1
    tail -12 $out/4-demo-alone.txt
    ;;
  c)
    env_info
    XSCHED_JAVA_OPTS="${KERNEL_OPTS:-}" with_clocks $out/clocks.csv step demo 420 "$x" demo --duration 180 --warmup 3 \
      --modes native-priority,xsched-hpf --output $out/demo > $out/5-demo-shared.txt 2>&1
    tail -16 $out/5-demo-shared.txt
    ;;
  d)
    env_info
    step pytorch 300 python3 "$here/pytorch_scenario.py" --duration 180 --warmup 3 --modes both-hp-priority \
      --output $out/pytorch-priority.json > $out/6-pytorch.txt 2>&1
    tail -4 $out/6-pytorch.txt
    with_clocks $out/policies-clocks.csv step bench-policies 130 "$x" bench policies --only partition,deadline \
      --modes native,xsched-up,xsched-kedf --duration 20 --warmup 1 --output $out/policies > $out/7-bench-policies.txt 2>&1
    grep -h "misses per mode\|goal" $out/7-bench-policies.txt
    awk -F, '$6 == 1 && $1 == "xsched-kedf"' $out/policies/deadline-responses.csv | head -20
    ;;
  e)
    # kedf's misses with each task's thread polling its queue up to its deadline (the deadline
    # bench's queues since round 9's d: at threshold 1 a blocking wait put a wake-up between every
    # two kernels), under G1 (the JVM's default; round 9's d: two misses in a 6 ms pause) and ZGC.
    env_info
    { for gc in g1 zgc; do
        opts=; [ $gc = zgc ] && opts=-XX:+UseZGC
        XSCHED_JAVA_OPTS=$opts with_clocks $out/deadline-$gc-clocks.csv step deadline-$gc 150 "$x" bench policies \
          --only deadline --modes native,xsched-kedf --duration 20 --warmup 1 --output $out/deadline-$gc
      done
    } > $out/8-deadline.txt 2>&1
    grep -h "^== \|misses per mode\|^xsched-kedf \|^  *[ABC]  " $out/8-deadline.txt
    ;;
  f)
    # The yieldable pools (with the stop latch) at 180 s; kedf twice more under ZGC.
    env_info
    XSCHED_JAVA_OPTS=$pool step hpf-pool-180 240 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf \
      --output $out/hpf-pool-180 > $out/9-hpf-pool-180.txt 2>&1
    tail -4 $out/9-hpf-pool-180.txt
    for i in 2 3; do
      XSCHED_JAVA_OPTS=-XX:+UseZGC step deadline-zgc-$i 150 "$x" bench policies --only deadline --modes xsched-kedf \
        --duration 20 --warmup 1 --output $out/deadline-zgc-$i
    done > $out/10-deadline-zgc.txt 2>&1
    grep -h "misses per mode\|^xsched-kedf \|^  *[BC]  " $out/10-deadline-zgc.txt
    ;;
  g|h)
    # kedf's queues on least-priority streams against streams ranked by deadline, alternating (g),
    # then ranked three more times (h); ZGC throughout.
    env_info
    if [ $1 = g ]; then runs="false-1 true-1 false-2 true-2"; else runs="true-3 true-4 true-5"; fi
    for run in $runs; do
      XSCHED_JAVA_OPTS="-XX:+UseZGC -Dxsched.bench.deadlineRankedStreams=${run%-*}" step ranked-$run 80 "$x" bench policies \
        --only deadline --modes xsched-kedf --duration 20 --warmup 1 --output $out/ranked-$run
    done > $out/11-ranked-$1.txt 2>&1
    grep -h "^== \|misses per mode\|^xsched-kedf \|^  *[BC]  " $out/11-ranked-$1.txt
    ;;
  *) echo "unknown part '$1' (a to h)" >&2; exit 2 ;;
esac
tar -czf /tmp/round9-$1.tgz -C "$out" --exclude='*.tgz' . && mv /tmp/round9-$1.tgz "$out/"
