#!/usr/bin/env bash
# Launch overhead, C against Java, on this NVIDIA GPU host in one run: builds launch_bench.c with gcc
# against the CUDA toolkit, then runs the C program and the Java benchmark (xsched bench launch, from
# the self-contained bundle) one after the other, ROUNDS times, with the same options.
#
#   run-launch-comparison.sh OUT_DIR [--iterations N] [--warmup N] [--launches N]
#
# Writes to OUT_DIR: launch_bench (the C binary), c-N.txt and java-N.txt (each run's output),
# results.jsonl (every run's JSON line), summary.txt (every run, then the mean, standard deviation
# and range per implementation from summarize-launch-comparison.sh) and environment.txt.
#
# Environment:
#   CUDA_HOME   the toolkit to build against (default $CUDA_PATH, else /usr/local/cuda, else the
#               toolkit of the nvcc on PATH)
#   XSCHED      the bundle's bin/xsched (default: ../bin/xsched beside this script inside an unpacked
#               bundle, else examples/target/xsched-bundle-linux-x86_64/bin/xsched of a checkout)
#   ROUNDS      how many C/Java pairs to run (default 6, at least 5 for a meaningful spread; the
#               order alternates, C first in odd rounds, Java first in even ones, so drift of the
#               machine falls on both sides alike)
set -euo pipefail

if [ $# -lt 1 ]; then
  sed -n '2,20p' "$0" >&2
  exit 1
fi
out=$1
shift
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
rounds=${ROUNDS:-6}
if ! [ "$rounds" -ge 1 ] 2>/dev/null; then
  echo "run-launch-comparison: ROUNDS must be a positive number, got '$rounds'" >&2
  exit 1
fi
# shellcheck source=bench-env.sh
. "$here/bench-env.sh"
bench_env run-launch-comparison cuda.h

mkdir -p "$out"
echo "building launch_bench.c against $cuda" >&2
# -L .../stubs lets the link succeed where the toolkit has no libcuda.so; at run time the driver's
# libcuda.so.1 is used. The rpath finds the toolkit's libnvrtc at run time.
nvrtc_link=$(link_flag nvrtc)
gcc -O2 -Wall -o "$out/launch_bench" "$here/launch_bench.c" -I"$cuda/include" \
  -L"$lib" -L"$lib/stubs" -Wl,-rpath,"$lib" -lcuda ${nvrtc_link:--lnvrtc}

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(uname -a)"
  echo "cuda toolkit: $cuda ($(sed -n 's/^#define CUDA_VERSION \([0-9]*\).*/\1/p' "$cuda/include/cuda.h"))"
  echo "java: $("$(dirname "$xsched")/../runtime/bin/java" -version 2>&1 | head -1)"
  echo "options: $*"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv
} > "$out/environment.txt" 2>&1 || true

: > "$out/results.jsonl"
run_c() { "$out/launch_bench" "$@" | tee "$out/c-$round.txt"; }
run_java() { HIP_PLATFORM=${HIP_PLATFORM:-nvidia} "$xsched" bench launch "$@" | tee "$out/java-$round.txt"; }
for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds" >&2
  if [ $((round % 2)) = 1 ]; then run_c "$@"; run_java "$@"; else run_java "$@"; run_c "$@"; fi
  for impl in c java; do
    sed -n 's/^JSON //p' "$out/$impl-$round.txt" | sed "s/^{/{\"round\":$round,/" >> "$out/results.jsonl"
  done
done

{
  echo "launch overhead, C (CUDA driver API) against Java (hip-ffm through FFM), $rounds round(s), alternating"
  for round in $(seq 1 "$rounds"); do
    for impl in c java; do
      echo "round $round, $impl:"
      grep -h -E "^  " "$out/$impl-$round.txt"
    done
  done
  echo
  "$here/summarize-launch-comparison.sh" "$out/results.jsonl"
} | tee "$out/summary.txt"
echo "results: $out/results.jsonl" >&2
