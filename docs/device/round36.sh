#!/usr/bin/env bash
# Round 36 (written 2026-12-05 in session 35): every GPU suite on the code that pauses armed stop
# waits around hip-ffm's device-wide calls (Device.onDeviceWideCalls; every native free, module
# load and unload, host registration and device synchronization now runs between the device's
# listeners), with RemoteStopGpuTest's frees and module load while its queue is armed (the calls
# that hung in round 35 on an H100), first alone and then the whole suite:
#
#   bash docs/device/round36.sh g
#
# Run on 2026-12-05 16:22 UTC on an H100 (docs/data/2026-12-05-h100-round36/): passed, then round
# 35's parts p, s, l, v and n on the same lease.
# Then, on an H200 where one is lent, round 35's sitting: `round35.sh p`, `v`, `s`, `l` (issue 12's
# table on the card its goal names, issue 13's with PyTorch).
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, unpack_bundle, pack_results
part=${1:?a part: g}
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  g)
    XSCHED_REPORTS_DIR=/tmp/xr-stop step gpu-test-stop 150 "$x" gpu-test \
      --include-classname '.*(RemoteStopGpuTest|GpuHostWaitTest)' > $out/0-gpu-test-stop.txt 2>&1
    grep -E "tests (successful|failed|skipped)|exit |RemoteStop|HostWait" $out/0-gpu-test-stop.txt | head -20
    XSCHED_REPORTS_DIR=/tmp/xr-reports step gpu-test 400 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    grep -E "tests (successful|failed|skipped)|exit " $out/1-gpu-test.txt | head -20
    cp -r /tmp/xr-stop $out/reports-stop 2>/dev/null
    cp -r /tmp/xr-reports $out/reports 2>/dev/null
    ;;
  *) echo "unknown part '$part' (g)" >&2; exit 2 ;;
esac
pack_results round36-$part
