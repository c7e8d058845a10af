#!/usr/bin/env bash
# Round 4 on the NVIDIA H200 (2026-12-01), from the repository root with the bundle at .device/r/
# and $OUT set; each part fits one device call of under ten minutes:
#   bash docs/device/round4.sh a   # GPU suite; where the yieldable TF32 kernels lose time; SM clocks per mode
# Everything also goes back as one archive (the device tool returns only a few files).
set -u
here=$(dirname "$0")
out=$OUT; mkdir -p /tmp/xb; tar -xJf .device/r/xsched-bundle-linux-x86_64.tar.xz -C /tmp/xb
home=/tmp/xb/xsched-bundle-linux-x86_64; x=$home/bin/xsched
step() { local name=$1 limit=$2; shift 2; echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"; local s=$SECONDS; timeout "$limit" "$@"; echo "== $name: exit $? after $((SECONDS - s)) s"; }
# SM clock, power and throttle reasons every 100 ms while "$@" runs (read-only queries).
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
case ${1:?a} in
  a)
    nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,power.limit,temperature.gpu --format=csv > $out/0-env.txt 2>&1
    step gpu-test 120 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    # The yieldable TF32 convolutions against the plain ones: per launch (--layers), with the flag
    # read 8 slices ahead of its check instead of 1, and with no check in the loop at all (65536).
    { step yield-16-lead1 70 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --compare-yield --layers
      XSCHED_JAVA_OPTS=-Dxsched.resnet.tf32FlagLead=8 \
        step yield-16-lead8 70 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --compare-yield --layers
      step yield-65536 40 "$x" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 --compare-yield --yield-every 65536
    } > $out/2-yield-overhead.txt 2>&1
    # The HP model's GPU span grows by ~0.3 ms beside the batch model: is it the SM clock?
    for m in standalone-hp xsched-hpf; do
      with_clocks $out/clocks-$m.csv step demo-$m 40 "$x" demo --duration 15 --warmup 2 --modes $m --output $out/demo-$m > $out/3-demo-$m.txt 2>&1
    done
    ;;
  *) echo "unknown part '$1'" >&2; exit 2 ;;
esac
tar -czf "$out/round4-$1.tgz" -C "$out" --exclude='*.tgz' . 2>/dev/null
