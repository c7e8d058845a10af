#!/usr/bin/env bash
# Round 31 on the NVIDIA H200 (2026-12-04, session 28): the persistent twins without their opaque
# argument copies under the ResNet GPU tests, the TF32 trace recorded again for the simulator
# (by-kind kernels and split K), and issue 12's sitting with split K: the scenario in one process
# and in two. From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's
# folders aside for the call, as rounds 14 to 30 did. Run a, b and c back to back on one lease.
#
#   bash docs/device/round31.sh a   # ResNet GPU tests with -Dxsched.resnet.persistOpaque=false (the
#                                   # GPU test classes' shared setup since this round); the TF32
#                                   # trace (trace-tf32.sh's command); standalone-hp, 180 s
#   bash docs/device/round31.sh b   # xsched-hpf in one process, then in two (MPS, one `xsched server
#                                   # --policy hpf`), 180 s each
#   bash docs/device/round31.sh c   # b in the other order: two processes, then one
#   bash docs/device/round31.sh d   # standalone-lp, 180 s (the batch model alone, for the LP shares)
#   bash docs/device/round31.sh e   # standalone-hp again, 180 s (the lease's last device time)
#
# XOPTS (default empty) goes to every JVM of b and c through XSCHED_JAVA_OPTS (the two-process
# demo forwards xsched.* properties to both processes).
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, resnet_gpu_tests, mps_and_server_*, demo_summaries, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a to e}
env_info
opts=${XOPTS:-}
one() {  # one NAME FILE: xsched-hpf in one process, 180 s
  XSCHED_JAVA_OPTS=$opts step $1 300 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/$1 > $out/$2 2>&1
}
two() {  # two NAME FILE: xsched-hpf in two processes under MPS and one server, 180 s
  command -v nvidia-cuda-mps-control > /dev/null || { echo "no nvidia-cuda-mps-control on this host" > $out/$2; return; }
  mps_and_server_start
  if [ -S "$sock" ]; then
    XSCHED_JAVA_OPTS=$opts step $1 300 "$x" demo --processes 2 --server "$sock" --duration 180 --warmup 3 \
      --modes xsched-hpf --output $out/$1 > $out/$2 2>&1
  else
    echo "the server's socket did not appear: $(cat $out/server.log)" > $out/$2
  fi
  mps_and_server_stop
}

case $part in
  a)
    resnet_gpu_tests 240 -Dxsched.resnet.persistOpaque=false > $out/1-tests.txt 2>&1
    grep "tests successful\|tests failed\|GPU tests: exit" $out/1-tests.txt
    step trace-tf32 200 "$x" java dev.xsched.examples.resnet.TraceRecorder --batch 1024 --runs 5 --warmup 2 \
      --precision tf32 --out "$out/h200-resnet-trace-tf32.csv" > $out/2-trace-tf32.txt 2>&1
    grep -i "trace:\|ms per\|tf32\|exit" $out/2-trace-tf32.txt | head -12
    cp "$out/h200-resnet-trace-tf32.csv" "$out/h200-resnet-trace-tf32.csv.txt" 2>/dev/null  # comes back outside the tarball too
    step alone 300 "$x" demo --duration 180 --warmup 3 --modes standalone-hp --output $out/alone > $out/3-alone.txt 2>&1
    demo_summaries $out/3-alone.txt
    ;;
  b)
    one one 1-one.txt
    two two 2-two.txt
    demo_summaries $out/[1-2]-*.txt
    ;;
  c)
    two two2 1-two2.txt
    one one2 2-one2.txt
    demo_summaries $out/[1-2]-*.txt
    ;;
  d)
    step lp 280 "$x" demo --duration 180 --warmup 3 --modes standalone-lp --output $out/lp > $out/1-lp.txt 2>&1
    demo_summaries $out/1-lp.txt
    ;;
  e)
    step alone2 250 "$x" demo --duration 180 --warmup 3 --modes standalone-hp --output $out/alone2 > $out/1-alone2.txt 2>&1
    demo_summaries $out/1-alone2.txt
    ;;
  *) echo "unknown part '$part' (a to e)" >&2; exit 2 ;;
esac
pack_results round31-$part
