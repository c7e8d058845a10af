#!/usr/bin/env bash
# Round 35 (written 2026-12-05 in session 35 for the H200): issue 12's goal table and issue 13's in
# one sitting, calls one after the other on one lease (each under 10 minutes), 180 s per mode after
# 3 s, the demo's defaults, the GPU's clocks sampled beside the one-process modes. Run on
# 2026-12-05 13:45-14:12 UTC on an H100 (the card lent; docs/data/2026-12-05-h100-round35/): p, v, s
# and l in that order; p's RemoteStopGpuTest hung in cuMemFree (fixed since, not yet rerun).
#
#   bash docs/device/round35.sh p   # the cross-process stop's GPU tests (RemoteStopGpuTest loads
#                                   # its module before arming since round 34), xsched-hpf in one
#                                   # process, then in two processes under one `xsched server
#                                   # --policy hpf` and one MPS daemon with the stop words
#   bash docs/device/round35.sh v   # native and native-priority in two processes, the same server
#                                   # and MPS daemon (issue 12's goal puts them beside the pair)
#   bash docs/device/round35.sh s   # standalone-hp (the online model alone), then PyTorch + cuDNN
#                                   # with the online model on the highest-priority stream (issue
#                                   # 13's table, with p's one-process xsched-hpf)
#   bash docs/device/round35.sh l   # standalone-lp (the batch model alone, the LP goals' baseline
#                                   # on a card other than the H200's 8.133 it/s)
#   bash docs/device/round35.sh n   # where time is left: p's two processes without the stop words
#
# Issue 12's goal: the two processes' HP P99 within 1.1x of one process's, LP within 2%. Issue 13's:
# xsched-hpf HP P99 within 1.1x of standalone-hp, P99.9 within 1.5x, LP at 95% or more of
# standalone-lp (8.133 it/s in rounds 31-33). What to read: each mode's "host: ... stolen by the
# hypervisor" line and its "where the HP time goes" rows.
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, with_clocks, clocks_per_second, demo_summaries, demo_with_clocks, unpack_bundle, pack_results
part=${1:?a part: p, v, s, l or n}
unpack_bundle            # sets $out, $home, $x
env_info

# Two processes under one server and MPS daemon: two_processes NAME MODES, into $out/NAME.txt
# (round 35's own, replacing gpu-steps.sh's of the same name, which takes demo options instead).
two_processes() {
  local name=$1 modes=$2
  command -v nvidia-cuda-mps-control > /dev/null || { echo "no nvidia-cuda-mps-control on this host" | tee $out/$name.txt; return; }
  mps_and_server_start
  if [ -S "$sock" ]; then
    step $name $((190 * $(echo "$modes" | tr ',' '\n' | wc -l) + 40)) "$x" demo --processes 2 --server "$sock" \
      --duration 180 --warmup 3 --modes "$modes" --output $out/$name > $out/$name.txt 2>&1
  else
    echo "the server's socket did not appear: $(cat $out/server.log)" > $out/$name.txt
  fi
  mps_and_server_stop
  mv $out/server.log $out/server-$name.log 2>/dev/null
  demo_summaries $out/$name.txt
}

case $part in
  p)
    XSCHED_REPORTS_DIR=/tmp/xr-reports step gpu-test-stop 100 "$x" gpu-test \
      --include-classname '.*(RemoteStopGpuTest|GpuHostWaitTest)' > $out/0-gpu-test-stop.txt 2>&1
    grep -E "tests (successful|failed|skipped)|exit |RemoteStop|HostWait" $out/0-gpu-test-stop.txt | head -20
    demo_with_clocks hpf 1-hpf.txt --modes xsched-hpf
    two_processes 2-two-stop xsched-hpf
    ;;
  v) two_processes 3-two-native native,native-priority ;;
  s)
    demo_with_clocks alone 4-alone.txt --modes standalone-hp
    pytorch_with_clocks 5-pytorch.txt 260
    ;;
  l) demo_with_clocks alone-lp 7-alone-lp.txt --modes standalone-lp ;;
  n) XSCHED_REMOTE_STOP=false two_processes 6-two-no-stop xsched-hpf ;;
  *) echo "unknown part '$part' (p, v, s, l or n)" >&2; exit 2 ;;
esac
pack_results round35-$part
