#!/usr/bin/env python3
"""The decision rounds and stop-flag writes of a JFR recording, in percentiles.

Reads what `jfr print --json --events dev.xsched.DecisionRound,dev.xsched.StopFlagWrite FILE`
wrote (a file, or stdin) and prints, per thread kind (the scheduling thread, or a submitting
thread that decided on submit), the rounds that changed a queue: their whole duration, its
parts (reading the states, deciding, the rest: applying), and the flag writes by direction.
Written for round 41 (docs/device/round41.sh j): where the 60 us by which the online request's
first call exceeds a plain stream's go on the GPU's host.

    python3 jfr_rounds.py rounds.json
"""
import json
import sys


def nanos(value):
    """A JFR duration as `jfr print --json` writes it ("PT0.000012345S") or a number of nanoseconds."""
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value)
    if text.startswith("PT") and text.endswith("S"):
        return float(text[2:-1]) * 1e9
    raise ValueError("not a duration: %r" % (value,))


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def line(label, values):
    if not values:
        return "  %-34s none" % label
    us = [v / 1000.0 for v in values]
    return "  %-34s n %6d  P50 %8.1f  P90 %8.1f  P99 %8.1f  max %9.1f us" % (
        label, len(us), pct(us, 0.5), pct(us, 0.9), pct(us, 0.99), max(us))


def main(argv):
    source = open(argv[1]) if len(argv) > 1 else sys.stdin
    events = json.load(source)["recording"]["events"]
    rounds = {}
    writes = {"raise": [], "lower": []}
    for event in events:
        kind = event["type"]
        values = event["values"]
        if kind == "dev.xsched.DecisionRound":
            if values.get("changed", 0) <= 0:
                continue
            thread = (values.get("eventThread") or {}).get("javaName") or "?"
            where = "scheduling thread" if thread.endswith("-scheduler") else "submitting thread"
            whole = nanos(values["duration"])
            states = nanos(values["statesNanos"])
            deciding = nanos(values["decidingNanos"])
            parts = rounds.setdefault(where, {"whole": [], "states": [], "deciding": [], "applying": []})
            parts["whole"].append(whole)
            parts["states"].append(states)
            parts["deciding"].append(deciding)
            parts["applying"].append(whole - states - deciding)
        elif kind == "dev.xsched.StopFlagWrite":
            writes["raise" if values.get("raised") else "lower"].append(nanos(values["duration"]))
    for where, parts in sorted(rounds.items()):
        print("rounds that changed a queue, on the %s:" % where)
        for name in ("whole", "states", "deciding", "applying"):
            print(line(name, parts[name]))
    print("stop-flag writes (the driver calls):")
    print(line("raise (copy)", writes["raise"]))
    print(line("lower (copy and event record)", writes["lower"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
