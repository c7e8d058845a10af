#!/usr/bin/env bash
# Mean and spread of the launch comparison's rounds, per implementation (C, Java), from the
# results.jsonl that run-launch-comparison.sh writes (one JSON line per run).
#
#   summarize-launch-comparison.sh results.jsonl
#
# For each of round-trip median, round-trip P99 and back-to-back throughput it prints the mean, the
# sample standard deviation, the range (min..max) and the number of rounds, then Java's mean over
# C's. One round says nothing about spread: use at least five.
set -euo pipefail
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  sed -n '2,9p' "$0" >&2
  exit 1
fi
awk '
function field(line, path,    rest) {
  # path: a key, or "object.key"; the JSON lines are flat apart from two small objects.
  if (index(path, ".")) {
    split(path, p, ".")
    if (!match(line, "\"" p[1] "\":\\{[^}]*\\}")) return ""
    line = substr(line, RSTART, RLENGTH)
    path = p[2]
  }
  if (!match(line, "\"" path "\":\"?[^,}\"]*")) return ""
  rest = substr(line, RSTART + length(path) + 3, RLENGTH - length(path) - 3)
  sub(/^"/, "", rest)
  return rest
}
function add(impl, metric, value) {
  n[impl, metric]++
  sum[impl, metric] += value
  sumsq[impl, metric] += value * value
  if (n[impl, metric] == 1 || value < lo[impl, metric]) lo[impl, metric] = value
  if (n[impl, metric] == 1 || value > hi[impl, metric]) hi[impl, metric] = value
}
function mean(impl, metric) { return sum[impl, metric] / n[impl, metric] }
function sd(impl, metric,    m, v) {
  if (n[impl, metric] < 2) return 0
  m = mean(impl, metric)
  v = (sumsq[impl, metric] - n[impl, metric] * m * m) / (n[impl, metric] - 1)
  return v > 0 ? sqrt(v) : 0
}
/^\{/ {
  impl = field($0, "impl")
  if (impl == "") next
  impls[impl] = 1
  add(impl, "median", field($0, "roundtrip_us.median"))
  add(impl, "p99", field($0, "roundtrip_us.p99"))
  add(impl, "throughput", field($0, "throughput.launches_per_s"))
}
END {
  if (!("c" in impls) || !("java" in impls)) {
    print "summarize-launch-comparison: need runs of both c and java" > "/dev/stderr"
    exit 1
  }
  printf "%-34s %12s %10s %25s %7s\n", "", "mean", "std dev", "range", "rounds"
  split("median p99 throughput", metrics, " ")
  label["median"] = "round trip median (us)"
  label["p99"] = "round trip P99 (us)"
  label["throughput"] = "throughput (launches/s)"
  for (i = 1; i <= 3; i++) {
    m = metrics[i]
    for (j = 1; j <= 2; j++) {
      impl = j == 1 ? "c" : "java"
      fmt = m == "throughput" ? "%-34s %12.0f %10.0f %12.0f..%-12.0f %7d\n" : "%-34s %12.2f %10.2f %12.2f..%-12.2f %7d\n"
      printf fmt, impl " " label[m], mean(impl, m), sd(impl, m), lo[impl, m], hi[impl, m], n[impl, m]
    }
  }
  printf "java / c: round trip median %.3f, P99 %.3f, throughput %.3f (means)\n", \
    mean("java", "median") / mean("c", "median"), mean("java", "p99") / mean("c", "p99"), \
    mean("java", "throughput") / mean("c", "throughput")
  if (n["c", "throughput"] < 5 || n["java", "throughput"] < 5) {
    print "note: fewer than five rounds per implementation; the spread is not meaningful"
  }
}
' "$1"
