#!/usr/bin/env bash
# Round 37 (written 2026-12-05 in session 36): the GPU check of session 36's hip-ffm mends, then the
# sittings still owed.
#
#   bash docs/device/round37.sh g   # every GPU suite (copies, memsets and memory waits now hold the
#                                   # buffers they name open; launches refuse another device's
#                                   # memory; Stream.enqueue holds the stream: GpuBlasTest goes
#                                   # through it), then `bench launch` three times: the launch path
#                                   # gained one device comparison per pointer argument, and its
#                                   # rows should stay within rounds 28-33's spread
#
# Then, on an H200 where one is lent, round 35's sitting: `round35.sh p`, `v`, `s`, `l` (issue 12's
# table on the card its goal names, issue 13's with PyTorch); on an H100, `round35.sh p` and `s`
# once more only if the host is quiet (rounds 35 and 36 on H100s were decided by the hypervisor).
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
    XSCHED_REPORTS_DIR=/tmp/xr-reports step gpu-test 400 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
    grep -E "tests (successful|failed|skipped)|exit " $out/1-gpu-test.txt | head -20
    for run in 1 2 3; do
      step launch-$run 60 "$x" bench launch > $out/2-launch-$run.txt 2>&1
      grep -E "launches/s|round trip|exit" $out/2-launch-$run.txt | head -12
    done
    cp -r /tmp/xr-reports $out/reports 2>/dev/null
    ;;
  *) echo "unknown part '$part' (g)" >&2; exit 2 ;;
esac
pack_results round37-$part
