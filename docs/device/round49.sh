#!/usr/bin/env bash
# Round 49 (written 2026-12-06 in session 45): round 48 (ten JVMs on an H100) found that polling an
# event made with BLOCKING_SYNC noticed its completion about 1 us later than polling a plain one,
# and in one JVM of ten about 30 us later on every wait while that JVM's plain event was not late
# at all. The XQueue's sync points are now plain events (polled on the caller's path), and a
# thread that must block does so through a watch stream of its own (BlockingWaits). This round
# compares that bundle with main's before it, JVM by JVM, then runs the scenario with it.
#
#   bash docs/device/round49.sh ab  # ~2.5 min: bench launch in ten JVMs, alternating this bundle
#                                   # (.device/r/, "plain") and main before the change ("blocking":
#                                   # .device/w/ holds that bundle's lib/*.jar, laid over a copy of
#                                   # this one)
#   bash docs/device/round49.sh g   # ~1 min: the GPU suite (xsched gpu-test) with this bundle
#   bash docs/device/round49.sh h   # ~3.5 min: xsched-hpf alone with the demo's defaults (180 s)
#   bash docs/device/round49.sh a   # ~7 min: round47.sh a with this bundle (standalone-hp, then
#                                   # xsched-hpf with the demo's defaults, 180 s each)
#
# What ran (session 45, an H100, with the last 6 of the session's 30 device minutes): g, then ab, in
# one call; h and a (the scenario with this bundle) did not fit.
#
# From the repository root with the bundles at .device/r/ and .device/w/ and $OUT set; move
# docs/data's folders aside for the call.
set -u
here=$(dirname "$0")
part=${1:?a part: ab, g, h or a}
case $part in
  ab) AB_NAMES="plain blocking" exec bash "$here/round48.sh" ab ;;
  a) exec bash "$here/round47.sh" a ;;
  g|h)
    . "$here/gpu-steps.sh"   # step, env_info, unpack_bundle, demo_with_clocks, pack_results
    unpack_bundle
    env_info
    if [ "$part" = g ]; then
      XSCHED_REPORTS_DIR=/tmp/xr-reports step gpu-test 400 "$x" gpu-test > $out/1-gpu-test.txt 2>&1
      grep -E "tests (successful|failed|skipped)|exit " $out/1-gpu-test.txt | head -20
      cp -r /tmp/xr-reports $out/   # packed below with the rest
    else
      DEMO_LIMIT=240 demo_with_clocks hpf 1-hpf.txt --modes xsched-hpf
    fi
    pack_results round49-$part
    ;;
  *) echo "unknown part '$part' (ab, g, h or a)" >&2; exit 2 ;;
esac
