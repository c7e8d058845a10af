#!/usr/bin/env bash
# Round 22 on the NVIDIA H200: the timeline of both models' kernels around the online requests.
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call, as rounds 14 to 21 did.
#
#   bash docs/device/round22.sh a   # one process, 20 s per run under a kernel tracer (about 3 min)
#   bash docs/device/round22.sh b   # the same tracer, xsched-hpf with persistent grids (about 2 min)
#   bash docs/device/round22.sh c   # xsched-hpf, plain and persistent, with the flag's writes and the host's calls (about 2 min)
#   bash docs/device/round22.sh d   # as c, without the host's calls, the JIT compiling after 10-150 calls (about 2 min)
#   bash docs/device/round22.sh e   # xsched-hpf under JFR: online submit, scheduler wake-up, suspend applied (about 2 min)
#   bash docs/device/round22.sh f   # xsched-hpf deciding on the submitting thread, plain and persistent, traced (about 3 min)
#   bash docs/device/round22.sh g   # f's last run again, and with the JIT compiling after 10-150 calls (about 2 min)
#
# a: under xsched-hpf the online model's GPU span (first kernel start to last kernel end) is
#    1.67 ms on average against 1.44 alone (rounds 12-15), and neither the checkpoint interval,
#    the L2, MPS, the gate for non-yieldable work nor persistent grids explain it. The scenario's
#    own breakdown sees only a request's first and last online kernel; this records every kernel's
#    GPU start and end (docs/device/kernel_timeline.c, a CUPTI injection library built here against
#    the toolkit's CUPTI, concurrent-kernel records, which do not serialize kernels) for
#    standalone-hp, xsched-hpf, and xsched-hpf with one LP command in flight (--threshold 1: no
#    second yieldable kernel whose blocks enter and leave at once behind the stopped one), 20 s
#    each after 3 s, and kernel_timeline.py says per online kernel what it gained when shared,
#    the gaps between them, and which batch kernels ran during each request.
# b: a found the span's excess to be the batch kernels draining after the flag rose: their
#    not-started blocks entering and leaving (about 9 ns a block of the 128x128 convolution, a
#    whole grid of 50,176 in 450 us). Persistent grids leave no such blocks; round 20 c measured
#    them shortening the span by only 0.06 ms. This traces standalone-hp and xsched-hpf with
#    -Dxsched.resnet.persistentYield=true, 20 s each, to see what still runs during a request.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, demo_summaries, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: a, b, c, d, e, f or g}
env_info

# Builds the tracer into /tmp/kt against the toolkit's CUPTI; prints what it found.
build_tracer() {
  local cuda=/usr/local/cuda header lib record memcpy
  header=$(find -L $cuda/ -name cupti_activity.h 2>/dev/null | head -1)
  lib=$(find -L $cuda/ -name 'libcupti.so*' 2>/dev/null | head -1)
  record=$(grep -o '} CUpti_ActivityKernel[0-9]*;' "$header" | tr -d '}; ' | sort -V | tail -1)
  memcpy=$(grep -o '} CUpti_ActivityMemcpy[0-9]*;' "$header" | tr -d '}; ' | sort -V | tail -1)
  echo "cupti header $header, library $lib, records $record $memcpy; nsys: $(command -v nsys || ls $cuda/bin 2>/dev/null | grep -i nsys || echo none)"
  if [ -z "$header" ] || [ -z "$lib" ] || [ -z "$record" ] || [ -z "$memcpy" ]; then
    echo "no CUPTI found under $cuda: nothing to trace with" >&2; exit 1
  fi
  mkdir -p /tmp/kt
  gcc -shared -fPIC -O2 -DKERNEL_RECORD="$record" -DMEMCPY_RECORD="$memcpy" -I$cuda/include -I"$(dirname "$header")" \
    "$here/kernel_timeline.c" -L"$(dirname "$lib")" -lcupti -Wl,-rpath,"$(dirname "$lib")" -o /tmp/kt/libkernel_timeline.so \
    || { echo "the tracer did not build" >&2; exit 1; }
}

# The JIT compiling after 10-150 calls instead of 200 and 5,000 (parts d, e, g).
jit="-XX:Tier3InvocationThreshold=20 -XX:Tier3MinInvocationThreshold=10 -XX:Tier3CompileThreshold=50"
jit="$jit -XX:Tier4InvocationThreshold=100 -XX:Tier4MinInvocationThreshold=50 -XX:Tier4CompileThreshold=150"

# Parts c and d: standalone-hp, then xsched-hpf plain and with persistent grids with the JVM
# options OPTS, traced; API=1 records the shared runs' driver calls too: alone_plain_persist OPTS API
alone_plain_persist() {
  build_tracer > $out/1-tracer.txt 2>&1 || { cat $out/1-tracer.txt; exit 1; }
  traced alone --modes standalone-hp > $out/1-alone.txt 2>&1
  KERNEL_TIMELINE_API=$2 XSCHED_JAVA_OPTS="$1" traced plain --modes xsched-hpf > $out/2-plain.txt 2>&1
  KERNEL_TIMELINE_API=$2 XSCHED_JAVA_OPTS="$1 -Dxsched.resnet.persistentYield=true" traced persist --modes xsched-hpf \
    > $out/3-persist.txt 2>&1
  python3 "$here/kernel_timeline.py" $out/alone.tsv $out/plain.tsv $out/persist.tsv > $out/4-timeline.txt 2>&1
  demo_summaries $out/1-alone.txt $out/2-plain.txt $out/3-persist.txt
  cat $out/4-timeline.txt
  xz -T4 $out/*.tsv
}

# A demo run under the tracer: traced NAME DEMO-ARGS...
# $seconds measured (20 unless a part sets it).
seconds=20
traced() {
  local name=$1; shift
  CUDA_INJECTION64_PATH=/tmp/kt/libkernel_timeline.so KERNEL_TIMELINE_OUT=$out/$name.tsv \
    step $name 120 "$x" demo --duration $seconds --warmup 3 --output $out/$name "$@"
}

# Traced runs given as "NAME|JVM OPTIONS|DEMO ARGS", each into $out/2-NAME.txt: traced_runs RUN...
traced_runs() {
  local run name opts args
  for run in "$@"; do
    IFS='|' read -r name opts args <<< "$run"
    XSCHED_JAVA_OPTS="$opts" traced $name $args > $out/2-$name.txt 2>&1
  done
}

case $part in
  a)
    build_tracer > $out/1-tracer.txt 2>&1 || { cat $out/1-tracer.txt; exit 1; }
    cat $out/1-tracer.txt
    n=1
    for run in "alone --modes standalone-hp" "hpf --modes xsched-hpf" "hpf-t1 --modes xsched-hpf --threshold 1"; do
      n=$((n + 1))
      traced $run > $out/$n-${run%% *}.txt 2>&1
      wc -l $out/${run%% *}.tsv
    done
    python3 "$here/kernel_timeline.py" $out/alone.tsv $out/hpf.tsv $out/hpf-t1.tsv > $out/5-timeline.txt 2>&1
    demo_summaries $out/[2-4]-*.txt
    cat $out/5-timeline.txt
    xz -T4 $out/*.tsv
    ;;
  b)
    build_tracer > $out/1-tracer.txt 2>&1 || { cat $out/1-tracer.txt; exit 1; }
    traced alone --modes standalone-hp > $out/2-alone.txt 2>&1
    XSCHED_JAVA_OPTS=-Dxsched.resnet.persistentYield=true traced persist --modes xsched-hpf > $out/3-persist.txt 2>&1
    python3 "$here/kernel_timeline.py" $out/alone.tsv $out/persist.tsv > $out/4-timeline.txt 2>&1
    demo_summaries $out/[2-3]-*.txt
    cat $out/4-timeline.txt
    xz -T4 $out/*.tsv
    ;;
  c)
    # b: with persistent grids the kernels' span was 1.47 ms against 1.41 alone, but the demo's
    # own span (an event before the first online kernel to one after the last) 1.71 ms: the
    # first online kernel waited about 0.17 ms more after the start event, for resident batch
    # blocks that leave only at a check once the flag rose. This places the flag's write (its
    # copy on the GPU, and with KERNEL_TIMELINE_API=1 its driver call on the host) against the
    # online model's first launch call and first kernel start, with and without persistent grids.
    alone_plain_persist "" 1  # alone without driver calls: they would slow the baseline
    ;;
  d)
    # c: the flag's write call came 177-201 us (median) after the online model's first launch
    # call, and the scheduling thread's driver calls were 5-20 us apart where the online thread's
    # were 1-2 us: the suspend path runs about 40 times a second, so after a 3 s warm-up it may
    # still be interpreted (C1 compiles after 200 calls, C2 after 5,000). The same runs with the
    # JIT's thresholds lowered, without API records (which slow every driver call).
    alone_plain_persist "$jit" 0
    ;;
  e)
    # d: with the JIT's thresholds lowered the first online kernel still waited about 0.12 ms
    # longer than alone behind persistent grids. Where the host's part goes: a JFR recording of
    # every command submitted, every suspend and resume applied (after the flag's write), every
    # park of every thread (the scheduling thread's wake-up ends one) and every JIT compilation;
    # xsched-hpf 20 s, as is and with the JIT's thresholds lowered.
    for variant in plain jit; do
      opts=""; [ $variant = jit ] && opts="$jit"
      rec="-XX:StartFlightRecording:filename=$out/$variant.jfr,settings=none,+dev.xsched.CommandSubmitted#enabled=true"
      rec="$rec,+dev.xsched.QueueSuspended#enabled=true,+dev.xsched.QueueResumed#enabled=true,+jdk.ThreadPark#enabled=true"
      rec="$rec,+jdk.ThreadPark#threshold=0ms,+jdk.ThreadPark#stackTrace=false,+jdk.Compilation#enabled=true,+jdk.Compilation#threshold=0ms"
      XSCHED_JAVA_OPTS="$opts $rec" step $variant 120 "$x" demo --duration 20 --warmup 3 --output $out/$variant \
        --modes xsched-hpf > $out/1-$variant.txt 2>&1
    done
    demo_summaries $out/1-*.txt
    ls -la $out
    ;;
  f)
    # e: the scheduling thread woke 0.11 ms (median) after the online model's first submission and
    # applied the suspend 0.17 ms later. XScheduler.Builder#decideOnSubmit (here through its
    # property) runs that round on the submitting thread. Traced (kernels and copies, no API
    # records), 30 s each after 3 s: alone, the default, deciding on submit, and deciding on
    # submit with persistent grids.
    on=-Dxsched.scheduler.decideOnSubmit=true
    build_tracer > $out/1-tracer.txt 2>&1 || { cat $out/1-tracer.txt; exit 1; }
    seconds=30
    traced_runs "alone||--modes standalone-hp" "plain||--modes xsched-hpf" "submit|$on|--modes xsched-hpf" \
      "submit-persist|$on -Dxsched.resnet.persistentYield=true|--modes xsched-hpf"
    python3 "$here/kernel_timeline.py" $out/alone.tsv $out/plain.tsv $out/submit.tsv $out/submit-persist.tsv \
      > $out/3-timeline.txt 2>&1
    demo_summaries $out/2-*.txt
    grep -v "^  kernel" $out/3-timeline.txt
    xz -T4 $out/*.tsv
    ;;
  g)
    # f: deciding on the submitting thread raised the flag about 45 us before the first online
    # kernel, but the round delayed the online model's own launches by about 0.11 ms (the start
    # event to the first kernel: 0.18 ms against 0.07 alone). Whether that is the round's code not
    # yet compiled (it runs about 40 times a second): f's last run again, then with the JIT's
    # thresholds lowered.
    on="-Dxsched.scheduler.decideOnSubmit=true -Dxsched.resnet.persistentYield=true"
    build_tracer > $out/1-tracer.txt 2>&1 || { cat $out/1-tracer.txt; exit 1; }
    seconds=30
    traced_runs "submit-persist-jit|$on $jit|--modes xsched-hpf" "alone||--modes standalone-hp" "submit-persist|$on|--modes xsched-hpf"
    python3 "$here/kernel_timeline.py" $out/alone.tsv $out/submit-persist.tsv $out/submit-persist-jit.tsv > $out/3-timeline.txt 2>&1
    demo_summaries $out/2-*.txt
    grep "^shared\|^alone\|flag copy" $out/3-timeline.txt
    xz -T4 $out/*.tsv
    ;;
  *) echo "unknown part '$part' (a, b, c, d, e, f or g)" >&2; exit 2 ;;
esac
pack_results round22-$part
