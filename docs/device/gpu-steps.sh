#!/usr/bin/env bash
# Shared by docs/device/round4.sh and round5.sh (sourced, not run): how they run a step with a
# time limit and a log header, and the ResNet GPU tests from the bundle unpacked at $home.
# Needs $home set before a call.

# Runs "$@" with a limit of $2 seconds, between lines that name it ($1), its start and its exit.
step() { local name=$1 limit=$2; shift 2; echo "== $name ($(date -u +%FT%TZ), limit ${limit}s): $*"; local s=$SECONDS; timeout "$limit" "$@"; echo "== $name: exit $? after $((SECONDS - s)) s"; }

# The examples' ResNet GPU tests alone, with the given JVM options (the bundle's gpu-test runs
# every suite): resnet_gpu_tests LIMIT [JVM options...]
resnet_gpu_tests() {
  local limit=$1; shift
  echo "== resnet GPU tests ($(date -u +%FT%TZ), limit ${limit}s): JVM options $*"
  timeout "$limit" "$home/runtime/bin/java" --enable-native-access=ALL-UNNAMED -Dxsched.gpu.required=true "$@" \
    -cp "$(ls $home/test-lib/junit-platform-console-standalone-*.jar):$(ls $home/test-lib/*-gpu-tests.jar | paste -sd: -):$home/lib/*:$home/test-lib/*" \
    org.junit.platform.console.ConsoleLauncher execute --disable-banner --details=tree --include-tag gpu \
    --select-package dev.xsched.examples.resnet
  echo "== resnet GPU tests: exit $?"
}
