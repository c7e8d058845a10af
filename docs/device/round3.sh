#!/usr/bin/env bash
# Round 3 on the NVIDIA H200, in three device calls of under ten minutes each (the device tool's
# limit per command), from the repository root with the bundle at .device/r/ and $OUT set:
#   bash docs/device/round3.sh a   # GPU suite, launch overheads, the hpf batch-share diagnosis, 10 M soak
#   bash docs/device/round3.sh b   # multi-process: bench ipc, demo --processes 2 beside one process
#   bash docs/device/round3.sh c   # example blas in panels, bench policies (up, kedf)
# Each part's own script says what to look for.
set -u
here=$(dirname "$0")
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
export XSCHED_CUBLAS_LIBRARY=/usr/local/cuda/lib64
step() { local name=$1 limit=$2; shift 2; echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"; local s=$SECONDS; timeout "$limit" "$@"; echo "== $name: exit $? after $((SECONDS - s)) s"; }
part() { mkdir -p "$out/$1"; OUT=$out/$1 bash "$here/$2"; }
# The TF32 convolutions' register use and spills (ptxas -v) in each kernel source given.
ptxas_report() {
  for src in "$@"; do
    echo "== $src"; /usr/local/cuda/bin/nvcc -arch=sm_90 -cubin -o /tmp/k.cubin -Xptxas -v -x cu "$src" 2>&1 | grep -A3 "entry function 'conv2d_tf32"
  done
}
case ${1:?a, b or c} in
  a)
    { nvidia-smi; step info 30 "$x" info; } > $out/0-info.txt 2>&1
    step gpu-test 150 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    part launch round3-launch.sh
    part hpf round3-hpf.sh
    XSCHED_JAVA_OPTS=-XX:NativeMemoryTracking=summary step soak 120 "$x" soak --queues 1000 --commands 10000000 > $out/2-soak.txt 2>&1
    ;;
  b)
    # The TF32 convolutions' register use and spills, plain against yieldable (ptxas -v), from the
    # kernel source ResNetKernels.source() assembles (written out beside the bundle).
    ptxas_report .device/r/*.cu > $out/0-ptxas.txt 2>&1
    step bench-launch 40 "$x" bench launch > $out/0-bench-launch.txt 2>&1
    part ipc round3-ipc.sh
    ;;
  c)
    # After the yieldable TF32 loop was rewritten for registers: ptxas before (resnet-old.cu) and
    # after (resnet-new.cu), the yieldable variants' speed against the plain ones, the scenario's
    # hpf mode beside each job alone, then BLAS panels and the policies; the soak again with a
    # fixed heap and a fixed number of JIT threads, so that the JVM's own sizing (GC tables that
    # grow with the heap, compiler threads started on demand) does not count as our growth.
    ptxas_report .device/r/resnet-old.cu .device/r/resnet-new.cu > $out/0-ptxas.txt 2>&1
    step yield-16 90 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --compare-yield --layers > $out/1-yield-overhead.txt 2>&1
    step demo 150 "$x" demo --duration 30 --warmup 3 --modes standalone-hp,standalone-lp,xsched-hpf --output $out/demo > $out/2-demo.txt 2>&1
    XSCHED_JAVA_OPTS="-XX:NativeMemoryTracking=summary -Xms4g -Xmx4g -XX:-UseDynamicNumberOfCompilerThreads" \
      step soak 90 "$x" soak --queues 1000 --commands 10000000 > $out/3-soak.txt 2>&1
    part blas round3-blas.sh
    ;;
  d)
    # The yieldable TF32 convolutions restart a stopped tile instead of keeping its progress.
    ptxas_report .device/r/resnet-*.cu > $out/0-ptxas.txt 2>&1
    step yield-16 90 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --compare-yield > $out/1-yield-overhead.txt 2>&1
    step demo 150 "$x" demo --duration 30 --warmup 3 --modes standalone-hp,standalone-lp,xsched-hpf --output $out/demo > $out/2-demo.txt 2>&1
    ;;
  e)
    # The entry check moved after the first copies: the GPU suite, registers, speed, the scenario.
    step gpu-test 90 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    ptxas_report .device/r/resnet-restart.cu .device/r/resnet-entrylate.cu > $out/0-ptxas.txt 2>&1
    step yield-16 90 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --compare-yield > $out/2-yield-overhead.txt 2>&1
    step demo 110 "$x" demo --duration 25 --warmup 3 --modes standalone-hp,standalone-lp,xsched-hpf --output $out/demo > $out/3-demo.txt 2>&1
    ;;
  *) echo "unknown part '$1' (a, b or c)" >&2; exit 2 ;;
esac
# The device tool brings back only a few files: everything goes back as one archive too.
tar -czf "$out/round3-$1.tgz" -C "$out" --exclude='*.tgz' . 2>/dev/null
