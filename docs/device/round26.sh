#!/usr/bin/env bash
# Round 26 on the NVIDIA H200 (2026-12-04): the persistent twins' overhead, taken apart. Round 25's
# profile put the twins' extra time on the memory-bound 1x1 layers in local-memory (spill)
# traffic. ptxas -v (CUDA 13.0, sm_90, run on the development machine) says where it comes from:
# compiled for the vector loads alone the 128 x 128 twin spills nothing, for the gather loads
# alone 108/400 bytes (stores/loads), but with both in one tile 172/696, and with the two kinds
# as two inlined copies in one kernel 736/1584. Kept apart by a call (the persistent loop of each
# kind a __noinline__ function, called once per block), vector 36/92 and gather 116/408.
# Variants of conv_tf32.hip are carried as .device/r/v-NAME.hip (and of resnet_kernels.hip as
# k-NAME.hip); each runs from a copy of the bundle whose examples jar holds them instead of
# main's. They are kept as patches in docs/data/2026-12-04-h200-round26/variants/.
# From the repository root with the bundle at .device/r/ and $OUT set; move docs/data's folders
# aside for the call, as rounds 14 to 25 did.
#
#   bash docs/device/round26.sh first   # ResNet GPU tests (persistent grids) on the bundle, then
#                                       # --compare-yield --layers for the bundle and each variant
#                                       # (as run: noinl, noinl-use, use)
#   bash docs/device/round26.sh ahead   # one-tile twins, main's and yeither; sa, sapool; GPU tests on sapool
#   bash docs/device/round26.sh claims  # the bundle (claims.patch), claim1, claim8; GPU tests; xsched-hpf 180 s
#   bash docs/device/round26.sh final   # main after the round, static tiles, noopaque; xsched-hpf 180 s
#
# Ran: first 02:32 UTC (the bundle of 20e4e30), ahead 02:41 (20e4e30), claims 02:51 (the working
# tree with claims.patch and the max pool's claims of 16), final 03:10 (main after this round),
# each on its own lease; a call of final at 03:00 lost its lease and returned nothing.
set -u
here=$(dirname "$0")
. "$here/gpu-steps.sh"   # step, env_info, resnet_gpu_tests, unpack_bundle, pack_results
unpack_bundle            # sets $out, $home, $x
part=${1:?a part: first, ahead, claims or final}
env_info
persist=-Dxsched.resnet.persistentYield=true

# A copy of the bundle at /tmp/xv-NAME whose examples jar holds .device/r/v-NAME.hip as
# conv_tf32.hip, and .device/r/k-NAME.hip as resnet_kernels.hip where there is one; prints the
# copy's xsched command.
variant_bundle() {
  local name=$1 dir=/tmp/xv-$1
  rm -rf "$dir"; cp -r "$home" "$dir"
  python3 - "$(ls $dir/lib/examples-*.jar)" ".device/r/v-$name.hip" ".device/r/k-$name.hip" <<'PY'
import os, shutil, sys, zipfile
jar, hip, kernels = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(jar) as zi, zipfile.ZipFile(jar + ".new", "w", zipfile.ZIP_DEFLATED) as zo:
    for item in zi.infolist():
        data = zi.read(item.filename)
        if item.filename.endswith("resnet/conv_tf32.hip"):
            data = open(hip, "rb").read()
        if item.filename.endswith("resnet/resnet_kernels.hip") and os.path.exists(kernels):
            data = open(kernels, "rb").read()
        zo.writestr(item, data)
shutil.move(jar + ".new", jar)
PY
  echo "$dir/bin/xsched"
}

# ResNet-50 b1024's yieldable kernels against the plain kernels, per layer, with the JVM options $2
# and the xsched command $3, appended to $out/2-compare.txt: compare NAME OPTS COMMAND.
compare() {
  local name=$1 opts=$2 cmd=$3
  step compare-$name 120 env XSCHED_JAVA_OPTS="$opts" "$cmd" java dev.xsched.examples.resnet.RunResNet resnet50 1024 10 \
    --compare-yield --layers > /tmp/compare-$name.txt 2>&1
  cat /tmp/compare-$name.txt >> $out/2-compare.txt
  echo "== $name"; grep "it/s\|sum of launches: plain" /tmp/compare-$name.txt
}

# The ResNet GPU tests with persistent grids, of the bundle at $home, into $1; prints their verdict.
tests_into() {
  resnet_gpu_tests 200 $persist > "$1" 2>&1
  grep "tests successful\|tests failed\|GPU tests: exit" "$1"
}

case $part in
  first)
    tests_into $out/1-tests.txt
    compare main "$persist" "$x"
    for v in .device/r/v-*.hip; do
      name=$(basename "$v" .hip); name=${name#v-}
      compare "$name" "$persist" "$(variant_bundle "$name")"
    done
    ;;
  ahead)
    # The one-tile yieldable kernels as main has them, and with each tile compiled per kind of
    # input load (yeither: the _yield entries call conv2d_tf32_either, as the plain ones do).
    compare one-tile "" "$x"
    compare one-tile-yeither "" "$(variant_bundle yeither)"
    # The twins claiming their next tile after a tile's last check (sa), and with the max pool's
    # claims 16 logical blocks each instead of 4 (sapool); the GPU tests on sapool.
    compare sa "$persist" "$(variant_bundle sa)"
    compare sapool "$persist" "$(variant_bundle sapool)"
    home=/tmp/xv-sapool tests_into $out/3-tests-sapool.txt   # the copy variant_bundle sapool made
    ;;
  claims)
    # The bundle: the twins claim up to 4 tiles at a time with no flag check in the claim, the
    # max pool's claims 16 logical blocks; claim1 (one tile a claim), claim8 (up to 8, at least 16
    # claims per block). Then the GPU tests and xsched-hpf 180 s on the bundle.
    compare main "$persist" "$x"
    compare claim1 "$persist" "$(variant_bundle claim1)"
    compare claim8 "$persist" "$(variant_bundle claim8)"
    tests_into $out/3-tests.txt
    step hpf 250 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/hpf > $out/4-hpf.txt 2>&1
    demo_summaries $out/4-hpf.txt
    ;;
  final)
    # main's kernels (the max pool's claims of 16), the same with static tile assignment, and the
    # twins without their opaque copies of the arguments; then xsched-hpf 180 s. (As first called, with
    # standalone-lp before xsched-hpf, the lease was taken back mid-call and nothing came back; the
    # device time left held xsched-hpf alone.)
    compare main "$persist" "$x"
    compare static "$persist -Dxsched.resnet.persistDynamic=false" "$x"
    compare noopaque "$persist" "$(variant_bundle noopaque)"
    step hpf 250 "$x" demo --duration 180 --warmup 3 --modes xsched-hpf --output $out/hpf > $out/4-hpf.txt 2>&1
    demo_summaries $out/4-hpf.txt
    ;;
  *) echo "unknown part '$part' (first, ahead, claims or final)" >&2; exit 2 ;;
esac
pack_results round26-$part
