#!/usr/bin/env python3
"""The host's part of a preemption in the scenario, from a JFR recording of `xsched demo` (round 22 e):
per online request, from its first command submitted (dev.xsched.CommandSubmitted on the thread
"scenario-hp") to the scheduling thread's return from its park (jdk.ThreadPark), and on to the batch
queue's suspend applied (dev.xsched.QueueSuspended, committed after the stop flag's write).

    jfr print --json --events dev.xsched.CommandSubmitted,dev.xsched.QueueSuspended,jdk.ThreadPark X.jfr > X.json
    python3 decision_latency.py X.json [WARMUP]

The first WARMUP requests (default 60: the demo's 3 s of warm-up at 20 requests a second) are left out.
"""
import bisect
import collections
import datetime
import json
import re
import statistics
import sys


def nanos(iso):
    """An ISO-8601 instant as JFR prints it (UTC, "Z"), to nanoseconds; the fraction may be absent."""
    text = iso.rstrip("Z")
    whole, _, frac = text.partition(".")
    base = datetime.datetime.fromisoformat(whole)
    if base.tzinfo is None:
        base = base.replace(tzinfo=datetime.timezone.utc)
    return int(base.timestamp()) * 10**9 + int((frac + "000000000")[:9])


def duration(iso):
    """A JFR duration (PT0.000123456S, PT2M3.5S, PT1H...) in nanoseconds: a park's time parked."""
    match = re.fullmatch(r"PT(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?[\d.]+)S)?", iso)
    if not match:
        return 0
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return int(((hours * 60 + minutes) * 60 + seconds) * 1e9)


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main(path, warmup):
    events = json.load(open(path))["recording"]["events"]
    submits, suspends, parks = [], [], []
    for e in events:
        v = e["values"]
        thread = (v.get("eventThread") or {}).get("javaName")
        start = nanos(v["startTime"])
        kind = e["type"]
        if kind == "dev.xsched.CommandSubmitted" and thread == "scenario-hp":
            submits.append(start)
        elif kind == "dev.xsched.QueueSuspended":
            suspends.append((start, thread))
        elif kind == "jdk.ThreadPark":
            parks.append((start + duration(v["duration"]), thread))
    submits.sort()
    suspends.sort()
    firsts, last = [], None
    for s in submits:
        if last is None or s - last > 5_000_000:
            firsts.append(s)
        last = s
    if not suspends:
        print(f"{path}: no suspend was applied in the recording")
        return
    # Where suspends were applied: the scheduling thread alone, unless submitting threads decided
    # (XScheduler.Builder#decideOnSubmit); the wake-up is only split out for the former.
    appliers = collections.Counter(thread for _, thread in suspends)
    scheduler = appliers.most_common(1)[0][0]
    park_ends = sorted(end for end, thread in parks if thread == scheduler)
    suspend_times = [t for t, _ in suspends]
    wake, apply, total = [], [], []
    for first in firsts[warmup:]:
        i = bisect.bisect_left(park_ends, first)
        j = bisect.bisect_left(suspend_times, first)
        if i < len(park_ends) and j < len(suspend_times) and suspend_times[j] - first < 5_000_000:
            total.append(suspend_times[j] - first)
            if len(appliers) == 1 and park_ends[i] <= suspend_times[j]:
                wake.append(park_ends[i] - first)
                apply.append(suspend_times[j] - park_ends[i])
    print(f"{path}: {len(total)} requests; suspends applied on {dict(appliers)}")
    print(f"  first online submission -> suspend applied: median {statistics.median(total) / 1e3:.1f} us, "
          f"P90 {pct(total, 0.9) / 1e3:.1f}, P99 {pct(total, 0.99) / 1e3:.1f}")
    if wake:
        print(f"  of which until that thread's park ended: median {statistics.median(wake) / 1e3:.1f} us, "
              f"P90 {pct(wake, 0.9) / 1e3:.1f}; then until the suspend was applied: median "
              f"{statistics.median(apply) / 1e3:.1f} us, P90 {pct(apply, 0.9) / 1e3:.1f}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 60)
