#!/usr/bin/env bash
# Shared by the docs/device/round*.sh scripts (sourced, not run): how they unpack the bundle, run
# a step with a time limit and a log header, the ResNet GPU tests from the bundle unpacked at
# $home, the GPU's clocks beside a step, and the environment of a run. Needs $home and $out set
# before a call (unpack_bundle sets them; scripts up to round 12 set them themselves).

# Unpacks the bundle carried at .device/r/ into /tmp/xb and sets $out (the device's $OUT), $home
# (the bundle) and $x (its xsched command). With BUNDLE_BRANCH_JARS=1, a branch's library jars
# (.device/w/*.jar) replace the bundle's own, so that every step of a script runs the branch: a
# sitting can measure a change that lands once the GPU suite passed on it earlier in that sitting,
# with one bundle carried (two pass a call's 64 MiB). What the other jars copied from the library
# at compile time stays the bundle's: a command option whose default is a constant such as
# XQueueConfig.DEFAULT_THRESHOLD keeps the bundle's value (round 59's y part), so a step that
# compares such values passes them as options.
unpack_bundle() {
  out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
  home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
  if [ "${BUNDLE_BRANCH_JARS:-0}" = 1 ]; then
    cp .device/w/*.jar "$home/lib/" && echo "bundle: .device/w's jars laid over ($(cd .device/w && ls *.jar | tr '\n' ' '))"
  fi
}

# A branch's library jars (.device/w/*.jar: two whole bundles and the tree pass a call's 64 MiB)
# laid over a copy of the unpacked bundle at /tmp/xw; sets $xw to its xsched command. After
# unpack_bundle.
overlay_branch_jars() {
  rm -rf /tmp/xw && cp -r "$home" /tmp/xw && cp .device/w/*.jar /tmp/xw/lib/
  xw=/tmp/xw/bin/xsched
}

# The container's CPU throttling counters (cgroup v2 cpu.stat), empty where there are none: a
# step's tail can be the quota's (CFS bandwidth throttling of polling threads), not ours.
cg_throttle() { awk '/^nr_periods|^nr_throttled|^throttled_usec/ {printf "%s=%s ", $1, $2}' /sys/fs/cgroup/cpu.stat 2>/dev/null; }

# Runs "$@" with a limit of $2 seconds, between lines that name it ($1), its start and its exit,
# each with the cgroup's throttling counters. At the limit it gets SIGQUIT, on which a JVM prints
# every thread's stack and goes on, and 15 s later SIGKILL: a hung step leaves its thread dump in
# the log (round 14's gated GEMM run hung and left none).
step() {
  local name=$1 limit=$2; shift 2
  echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"
  echo "== $name: cgroup before: $(cg_throttle)"
  local s=$SECONDS; timeout -s QUIT -k 15 "$limit" "$@"; local rc=$?
  echo "== $name: exit $rc after $((SECONDS - s)) s; cgroup after: $(cg_throttle)"
}

# The examples' ResNet GPU tests alone, with the given JVM options (the bundle's gpu-test runs
# every suite): resnet_gpu_tests LIMIT [JVM options...]
resnet_gpu_tests() {
  local limit=$1; shift
  echo "== resnet GPU tests ($(date -u +%FT%TZ), limit ${limit}s): JVM options $*"
  timeout "$limit" "$home/runtime/bin/java" --enable-native-access=ALL-UNNAMED -Dxsched.gpu.required=true "$@" \
    -cp "$(ls $home/test-lib/junit-platform-console-standalone-*.jar):$(ls $home/test-lib/*-gpu-tests.jar | paste -sd: -):$home/lib/*:$home/test-lib/*" \
    org.junit.platform.console.ConsoleLauncher execute --disable-banner --details=tree --include-tag gpu \
    --select-package dev.xsched.examples.resnet
  echo "== resnet GPU tests: exit $?"
}

# ResNet-50 b1024's yieldable kernels against the plain kernels, per layer, with the JVM options
# $2 and the xsched command $3 (default $x), appended to $out/2-compare.txt; prints the summary
# lines: resnet_compare NAME OPTS [COMMAND].
resnet_compare() {
  local name=$1 opts=$2 cmd=${3:-$x}
  step compare-$name 120 env XSCHED_JAVA_OPTS="$opts" "$cmd" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 \
    --compare-yield --layers > /tmp/compare-$name.txt 2>&1
  cat /tmp/compare-$name.txt >> $out/2-compare.txt
  echo "== $name"; grep "it/s\|sum of launches" /tmp/compare-$name.txt
}

# kedf alone three times, 20 s each with ZGC (`bench policies --only deadline`), each into
# $out/kedf-N, the console output into $1: kedf_three_runs FILE
kedf_three_runs() {
  for n in 1 2 3; do
    XSCHED_JAVA_OPTS=-XX:+UseZGC step kedf-$n 60 "$x" bench policies --only deadline --modes xsched-kedf \
      --duration 20 --warmup 1 --output $out/kedf-$n
  done > "$1" 2>&1
}

# SM clock, power and clock-event reasons every 100 ms while "$@" runs (read-only queries).
with_clocks() {
  local log=$1; shift
  local q=timestamp,clocks.sm,clocks.mem,power.draw,temperature.gpu,clocks_event_reasons.active,utilization.gpu
  nvidia-smi --query-gpu=$q --format=csv > /dev/null 2>&1 || q=${q/clocks_event_reasons/clocks_throttle_reasons}
  nvidia-smi --query-gpu=$q --format=csv -lms 100 > "$log" 2>&1 &
  local smi=$!
  "$@"; local rc=$?
  kill $smi 2>/dev/null; wait $smi 2>/dev/null
  return $rc
}

# The SM clock and power of a with_clocks log, averaged per second: clocks_per_second CSV > OUT.
# Lines "HH:MM:SS MHz W", in time order; the modes of a run follow each other, so their clocks can be
# told apart by their times.
clocks_per_second() {
  awk -F', ' 'NR>1 && $2+0>0 {print $1", "$2", "$4}' "$1" | awk -F', ' '{split($1,t," "); s=substr(t[2],1,8); c[s]+=$2; p[s]+=$3; n[s]++} END {for (k in c) printf "%s %4.0f MHz %5.0f W\n", k, c[k]/n[k], p[k]/n[k]}' | sort
}

# The date, the JVM options of the run (KERNEL_OPTS), the GPU, the CPUs and their quota, and the
# kernel's clock source (without a vDSO fast path every clock read is a system call), into $out/0-env.txt.
env_info() { { date -u +%FT%TZ; echo "KERNEL_OPTS=${KERNEL_OPTS:-}"; nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,power.limit,temperature.gpu --format=csv; echo "nproc $(nproc); cgroup cpu.max: $(cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo none); $(cg_throttle)"; echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo unknown) (available: $(cat /sys/devices/system/clocksource/clocksource0/available_clocksource 2>/dev/null))"; uptime; } > $out/0-env.txt 2>&1; }

# Issue 14's gated GEMM job: example blas at 16 panels, threshold 4, device gate on, 120 s per mode
# beside ResNet-18, into $out/2-blas.txt (rounds 14 and 15 b).
blas_gated_16() {
  export XSCHED_CUBLAS_LIBRARY=/usr/local/cuda/lib64
  step blas-16 450 "$x" example blas --duration 120 --warmup 2 --modes standalone-hp,standalone-lp,xsched-hpf \
    --panels 16 --threshold 4 --device-gate on > $out/2-blas.txt 2>&1
  grep -A8 "^mode  " $out/2-blas.txt
}

# Issue 13's ratio: standalone-hp and xsched-hpf, 180 s each, into $out/3-demo.txt and $out/demo/,
# the SM clock into $out/clocks.csv (rounds 14 and 15 c).
demo_hp_and_hpf() {
  with_clocks $out/clocks.csv step demo 420 "$x" demo --duration 180 --warmup 3 --modes standalone-hp,xsched-hpf \
    --output $out/demo > $out/3-demo.txt 2>&1
  grep -h "^host\|  host" $out/3-demo.txt | head -4
  demo_table $out/3-demo.txt
}

# An MPS control daemon of this user (private pipe and log folders; no GPU setting changes) and an
# external `xsched server --policy hpf` (log in $out/server.log) for two-process runs; sets $sock.
# mps_and_server_stop ends both and keeps the daemon's log as $out/control.log.
mps_and_server_start() {
  local dir; dir=$(mktemp -d /tmp/xsched-mps.XXXXXX); chmod 700 "$dir"; sock=$dir/xsched.sock
  export CUDA_MPS_PIPE_DIRECTORY=$dir/pipe CUDA_MPS_LOG_DIRECTORY=$dir/log
  mkdir -p "$CUDA_MPS_PIPE_DIRECTORY" "$CUDA_MPS_LOG_DIRECTORY"
  nvidia-cuda-mps-control -d
  "$x" server --socket "$sock" --policy hpf > $out/server.log 2>&1 &
  server=$!
  for _ in $(seq 150); do [ -S "$sock" ] && break; sleep 0.1; done
}
mps_and_server_stop() {
  kill "$server"; wait "$server" 2>/dev/null
  cp "$CUDA_MPS_LOG_DIRECTORY"/control.log $out/control.log 2>/dev/null
  echo quit | nvidia-cuda-mps-control
  unset CUDA_MPS_PIPE_DIRECTORY CUDA_MPS_LOG_DIRECTORY
}

# xsched-hpf in two processes under one server and MPS daemon, 180 s, into $out/NAME.txt and
# $out/NAME/ (rounds 38 on): two_processes NAME [demo options...]
two_processes() {
  local name=$1; shift
  command -v nvidia-cuda-mps-control > /dev/null || { echo "no nvidia-cuda-mps-control on this host" | tee $out/$name.txt; return; }
  mps_and_server_start
  if [ -S "$sock" ]; then
    step $name 230 "$x" demo --processes 2 --server "$sock" --duration 180 --warmup 3 --modes xsched-hpf \
      --output $out/$name "$@" > $out/$name.txt 2>&1
  else
    echo "the server's socket did not appear: $(cat $out/server.log)" > $out/$name.txt
  fi
  mps_and_server_stop
  mv $out/server.log $out/server-$name.log 2>/dev/null
  demo_summaries $out/$name.txt
  grep -h "suspension began\|stolen by the hypervisor" $out/$name.txt
}

# Issue 12's ratio: xsched-hpf in two processes, clients of one `xsched server --policy hpf` and of
# an MPS control daemon started for the run, 180 s, into $out/4-demo-2p-mps.txt (rounds 14 and 15 d).
demo_2p_mps() {
  if ! command -v nvidia-cuda-mps-control > /dev/null; then
    echo "skipped: no nvidia-cuda-mps-control on this host" | tee $out/4-demo-2p-mps.txt
  else
    mps_and_server_start
    step demo-2p-mps 300 "$x" demo --processes 2 --device-gate off --server "$sock" --duration 180 --warmup 3 --modes xsched-hpf \
      --output $out/demo-2p-mps > $out/4-demo-2p-mps.txt 2>&1
    mps_and_server_stop
    demo_table $out/4-demo-2p-mps.txt
  fi
}

# Issue 15's launch rows: bench launch three times, then once with 2,000,000 launches per
# back-to-back row under a JFR profile ($out/launch-profile.jfr), into $out/1-launch.txt.
launch_runs() {
  for n in 1 2 3; do
    step launch-$n 40 "$x" bench launch
  done > $out/1-launch.txt 2>&1
  XSCHED_JAVA_OPTS="-XX:StartFlightRecording:filename=$out/launch-profile.jfr,settings=profile" \
    step launch-profile 120 "$x" bench launch --launches 2000000 >> $out/1-launch.txt 2>&1
}

# The scenario's table and what follows it (breakdown, verdicts) from a demo's console output $1,
# without the lines that name the files written.
demo_table() { sed -n '/^mode  *HP p50/,$p' "$1" | grep -v "^wrote\|could not draw"; }

# Prints each demo log's table and breakdown line: demo_summaries LOG...
demo_summaries() {
  for f in "$@"; do
    echo "== $f"; demo_table $f | head -3; grep -A2 "where the HP time goes" $f | tail -1
  done
}

# One 180 s mode of a sitting after 3 s of warm-up, the GPU's clocks sampled beside it, its
# summaries and the mode's mean SM clock and power printed (rounds 32 and 33):
# DEMO_LIMIT (default 300 s) bounds the run: two modes of 180 s need about 420. DEMO_SECONDS
# (default 180, the scenario's) shortens each mode for a check that is not the scenario's reading.
# demo_with_clocks NAME FILE [demo options...], into $out/FILE, $out/NAME/ and $out/clocks-NAME.*
demo_with_clocks() {
  local name=$1 file=$2; shift 2
  with_clocks $out/clocks-$name.csv step $name "${DEMO_LIMIT:-300}" "$x" demo --duration "${DEMO_SECONDS:-180}" --warmup 3 --output $out/$name "$@" \
    > $out/$file 2>&1
  clocks_per_second $out/clocks-$name.csv > $out/clocks-$name.txt
  demo_summaries $out/$file
  awk '{c += $2; p += $4; n++} END {if (n) printf "clocks %s: %.0f MHz, %.0f W on average over %d s\n", "'$name'", c/n, p/n, n}' \
    $out/clocks-$name.txt
}

# PyTorch + cuDNN in the scenario (pytorch_scenario.py), the online model on the highest-priority
# stream, 180 s after 3 s, the GPU's clocks sampled beside it (rounds 34, 35 and 43):
# pytorch_with_clocks FILE LIMIT, into $out/FILE, $out/pytorch-priority.json and $out/clocks-pytorch.*
pytorch_with_clocks() {
  local file=$1 limit=$2
  with_clocks $out/clocks-pytorch.csv step pytorch "$limit" python3 "$(dirname "${BASH_SOURCE[0]}")/pytorch_scenario.py" \
    --duration 180 --warmup 3 --modes both-hp-priority --output $out/pytorch-priority.json > $out/$file 2>&1
  clocks_per_second $out/clocks-pytorch.csv > $out/clocks-pytorch.txt
  tail -4 $out/$file
}

# window_part PACK RUNS NAME=OPTIONS...: a whole part of bench launch windows. Unpacks the bundle,
# notes the host, runs bench launch --rounds 9 with each NAME's options in turn, the whole list RUNS
# times (alternating settings, so that a drift of the host does not favour one), into
# $out/window-NAME-RUN.txt, printing each back-to-back row, and packs the results into $out/PACK.tgz.
window_part() {
  local pack=$1 runs=$2 run entry name args
  shift 2
  unpack_bundle   # sets $out, $home, $x
  env_info
  for run in $(seq "$runs"); do
    for entry in "$@"; do
      name=${entry%%=*} args=${entry#*=}
      # shellcheck disable=SC2086 # $args is a list of options
      step window-$name-$run 90 "$x" bench launch $args --rounds 9 > $out/window-$name-$run.txt 2>&1
      echo "== $name run $run"; grep -E "back-to-back" $out/window-$name-$run.txt
    done
  done
  pack_results "$pack"
}

# Packs everything under $out but the text files into $out/$1.tgz and removes it: only the tarball
# and the text files come back whole (the device returns a limited number of files).
pack_results() {
  tar -czf /tmp/$1.tgz -C "$out" --exclude='*.tgz' . && find "$out" -mindepth 1 -maxdepth 1 ! -name '*.txt' -exec rm -rf {} + \
    && mv /tmp/$1.tgz "$out/"
}
