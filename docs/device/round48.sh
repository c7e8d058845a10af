#!/usr/bin/env bash
# Round 48 (written 2026-12-06 in session 44): in 2 of 11 JVMs of round 47 (both deciding on
# submit with an idle poll; round 41's first JVM with the defaults and round 15's "one run in four"
# look the same) every round trip that waits on an event was about 30 us late, the stream waiting
# on a polled event with no queue around it included, while the same JVM's stream synchronize
# was not. `bench launch` now has a row that polls an event made without
# BLOCKING_SYNC ("plain event polled"): in a JVM where the queue's kind of event is late, this
# row says whether the flag is the cause (the XQueue's sync points could then be polled through a
# plain event) or the polling is; and each polled row's queries per round trip say whether a late
# wait made a few slow queries (the query's own cost) or many quick ones (a late completion).
#
# Each JVM's threads are sampled twice a second (which CPU each ran on last, and its CPU share),
# its threads dumped twice, and the GPU's CPU and NUMA affinity is recorded once, so that a late
# JVM can be told apart by where its threads ran and what the queue's completion thread waited in
# (a thread blocked in the driver's event synchronize is one suspect).
#
#   bash docs/device/round48.sh e   # ~2 min: bench launch in eight JVMs, one after the other
#   bash docs/device/round48.sh ab  # ~3 min: bench launch in ten JVMs, alternating main's bundle
#                                   # (.device/r/) and the bundle of branch exp/completion-wake
#                                   # (.device/w/: the completion thread on its own condition, woken
#                                   # from a timed wait only for what it must see at once; session 44,
#                                   # unmeasured on a GPU): .device/w holds the branch bundle's
#                                   # lib/*.jar only (two bundles pass the call's 64 MiB)
#
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, unpack_bundle, pack_results
part=${1:?a part: e or ab}
unpack_bundle            # sets $out, $home, $x
env_info

case $part in
  e|ab)
    { nvidia-smi topo -m; lscpu | grep -i numa; } > $out/0-topology.txt 2>&1
    main=$x
    if [ $part = ab ]; then
      # .device/w holds only the branch's library jars, laid over a copy of main's bundle.
      overlay_branch_jars
      wake=$xw
      # The two bundles' names in the logs (round 49 names them after their sync point events).
      read -r first second <<< "${AB_NAMES:-main wake}"
      runs="$first-1 $second-1 $first-2 $second-2 $first-3 $second-3 $first-4 $second-4 $first-5 $second-5"
    else
      runs="1 2 3 4 5 6 7 8"
    fi
    for run in $runs; do
      case $run in "${first:-}"-*) x=$main ;; "${second:-}"-*) x=$wake ;; esac
      timeout -s QUIT -k 15 40 "$x" bench launch > $out/1-launch-$run.txt 2>&1 &
      pid=$!
      sleep 0.2
      jvm=$(pgrep -P $pid | head -1)   # timeout's child: bin/xsched, which execs the JVM
      samples=0
      while kill -0 $pid 2>/dev/null; do
        { date -u +%T.%N; ps -L -o tid=,psr=,pcpu=,comm= -p "${jvm:-$pid}"; } >> $out/2-threads-$run.txt 2>/dev/null
        samples=$((samples + 1))
        # Thread dumps (to the JVM's stdout, the run's log) at about 5 s and 8 s, during the
        # round trip rows: where the queue's completion thread waits while the others are timed.
        # Each pauses the JVM for a moment, which the rows' P99 and max may carry; not their P50.
        if [ $samples = 10 ] || [ $samples = 16 ]; then kill -QUIT "${jvm:-$pid}" 2>/dev/null; fi
        sleep 0.5
      done
      wait $pid; echo "== launch-$run: exit $?" >> $out/1-launch-$run.txt
      grep -E "kernel, (XQueue|stream, )|back-to-back empty|exit" $out/1-launch-$run.txt | head -10
    done
    ;;
  *) echo "unknown part '$part' (e or ab)" >&2; exit 2 ;;
esac
pack_results round48-$part
