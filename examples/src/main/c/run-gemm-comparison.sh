#!/usr/bin/env bash
# One cuBLAS TF32 GEMM (8192^3 by default) three ways on this NVIDIA GPU host, in one sitting:
# from C (gemm_bench.c, built here with gcc against the CUDA toolkit's cuBLAS), from Java through
# hip-ffm (xsched bench gemm: on a plain stream and through an XQueue, from the self-contained
# bundle) and torch.matmul with TF32 allowed (gemm_torch.py, if python3 can import torch), ROUNDS
# times in alternating order, with the same options. Each times every GEMM with events.
#
#   run-gemm-comparison.sh OUT_DIR [--size N] [--iterations N] [--warmup N] [--compute tf32|fp32]
#
# Writes to OUT_DIR: gemm_bench (the C binary), c-N.txt, java-N.txt, torch-N.txt (each run's output),
# results.jsonl (every run's JSON line), summary.txt and environment.txt.
#
# Environment:
#   CUDA_HOME   the toolkit to build against (default $CUDA_PATH, else /usr/local/cuda, else the
#               toolkit of the nvcc on PATH)
#   XSCHED      the bundle's bin/xsched (default: ../bin/xsched beside this script inside an unpacked
#               bundle, else examples/target/xsched-bundle-linux-x86_64/bin/xsched of a checkout)
#   PYTHON      the python with torch (default python3); torch is skipped, saying so, without it
#   ROUNDS      how many rounds (default 2)
set -euo pipefail

if [ $# -lt 1 ]; then
  sed -n '2,20p' "$0" >&2
  exit 1
fi
out=$1
shift
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
rounds=${ROUNDS:-2}
python=${PYTHON:-python3}
# shellcheck source=bench-env.sh
. "$here/bench-env.sh"
bench_env run-gemm-comparison cublas_v2.h

mkdir -p "$out"
cublas_link=$(link_flag cublas)
echo "building gemm_bench.c against $cuda" >&2
gcc -O2 -Wall -o "$out/gemm_bench" "$here/gemm_bench.c" -I"$cuda/include" \
  -L"$lib" -L"$lib/stubs" -Wl,-rpath,"$lib" -lcuda ${cublas_link:--lcublas}

torch_ok=1
if ! "$python" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
  torch_ok=0
  echo "run-gemm-comparison: $python cannot import torch with CUDA; torch.matmul is skipped" >&2
fi

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(uname -a)"
  echo "cuda toolkit: $cuda ($(sed -n 's/^#define CUDA_VERSION \([0-9]*\).*/\1/p' "$cuda/include/cuda.h"))"
  echo "java: $("$(dirname "$xsched")/../runtime/bin/java" -version 2>&1 | head -1)"
  [ "$torch_ok" = 1 ] && echo "torch: $("$python" -c 'import torch; print(torch.__version__, torch.version.cuda)')"
  echo "options: $*"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,power.limit --format=csv
} > "$out/environment.txt" 2>&1 || true

: > "$out/results.jsonl"
run_c() { "$out/gemm_bench" "$@" | tee "$out/c-$round.txt"; }
run_java() { HIP_PLATFORM=${HIP_PLATFORM:-nvidia} XSCHED_CUBLAS_LIBRARY=${XSCHED_CUBLAS_LIBRARY:-$lib} \
  "$xsched" bench gemm "$@" | tee "$out/java-$round.txt"; }
run_torch() {
  if [ "$torch_ok" = 1 ]; then "$python" "$here/gemm_torch.py" "$@" | tee "$out/torch-$round.txt"; fi
}
for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds" >&2
  case $((round % 3)) in
    1) run_c "$@"; run_java "$@"; run_torch "$@" ;;
    2) run_java "$@"; run_torch "$@"; run_c "$@" ;;
    0) run_torch "$@"; run_c "$@"; run_java "$@" ;;
  esac
  for impl in c java torch; do
    [ -f "$out/$impl-$round.txt" ] || continue
    sed -n 's/^JSON //p' "$out/$impl-$round.txt" | sed "s/^{/{\"round\":$round,/" >> "$out/results.jsonl"
  done
done

{
  echo "cuBLAS GEMM: C, Java (hip-ffm, stream and XQueue) and torch.matmul, $rounds round(s)"
  grep -h -E "^gemm benchmark|^  " "$out"/c-*.txt "$out"/java-*.txt $( [ "$torch_ok" = 1 ] && echo "$out"/torch-*.txt )
} | tee "$out/summary.txt"
echo "results: $out/results.jsonl" >&2
