#!/usr/bin/env python3
"""Reads the kernel timelines that docs/device/kernel_timeline.c writes ("start end stream grid name"
per kernel, GPU nanoseconds) for the online model alone and beside the batch model, and says where
the online requests' GPU span goes: per kernel of a request, its median duration alone and shared;
the gaps between a request's kernels; and which batch-model kernels ran during each request (the
one stopped at its checks, draining, and those that started and ended inside the request).

    python3 kernel_timeline.py ALONE.tsv SHARED.tsv [more SHARED.tsv ...]

The online stream is the one with the most kernels among those that are not the batch model's
(the stream with the most GPU time in a shared run); a request is a burst of online kernels
separated from the next by more than 5 ms; only bursts with the usual number of kernels count
(warm-up and set-up bursts differ), and the first 5% of them are skipped.
"""
import bisect
import statistics
import sys
from collections import Counter, defaultdict

BURST_GAP_NS = 5_000_000


def read(path):
    kernels = []
    with open(path) as f:
        for line in f:
            if not line[:1].isdigit():
                continue  # "K", "M" and "A" lines: read by flag_report
            parts = line.rstrip("\n").split(" ", 4)
            if len(parts) < 5:
                continue
            start, end, stream, grid = int(parts[0]), int(parts[1]), int(parts[2]), int(parts[3])
            kernels.append((start, end, stream, grid, parts[4]))
    kernels.sort()
    return kernels


def streams(kernels):
    count, busy = Counter(), Counter()
    for s, e, st, _, _ in kernels:
        count[st] += 1
        busy[st] += e - s
    return count, busy


def split(kernels, shared):
    count, busy = streams(kernels)
    lp = max(busy, key=busy.get) if shared else None
    hp = max((st for st in count if st != lp), key=count.get)
    return hp, lp


def requests(kernels, hp):
    bursts, current, last_end = [], [], 0
    for k in kernels:
        if k[2] != hp:
            continue
        if current and k[0] - last_end > BURST_GAP_NS:
            bursts.append(current)
            current, last_end = [], 0
        current.append(k)
        last_end = max(last_end, k[1])
    if current:
        bursts.append(current)
    usual = Counter(len(b) for b in bursts).most_common(1)[0][0]
    kept = [b for b in bursts if len(b) == usual]
    return kept[len(kept) // 20:], usual, len(bursts), kept


def union_ns(intervals):
    total, cur_s, cur_e = 0, None, None
    for s, e in sorted(intervals):
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    return total


def pct(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(q * len(values)))]


def us(ns):
    return ns / 1000.0


def describe(label, bursts):
    spans = [b[-1][1] - b[0][0] for b in bursts]
    busy = [union_ns([(k[0], k[1]) for k in b]) for b in bursts]
    print(f"{label}: {len(bursts)} requests; span median {us(statistics.median(spans)):.1f} us, mean "
          f"{us(statistics.mean(spans)):.1f}, P99 {us(pct(spans, 0.99)):.1f}; online kernels busy (union) "
          f"median {us(statistics.median(busy)):.1f} us; gaps between them median "
          f"{us(statistics.median([s - b for s, b in zip(spans, busy)])):.1f} us")
    return spans


def per_kernel_medians(bursts):
    n = len(bursts[0])
    return [statistics.median(b[i][1] - b[i][0] for b in bursts) for i in range(n)], \
           [statistics.median(bursts[j][i][0] - bursts[j][i - 1][1] for j in range(len(bursts))) if i else 0
            for i in range(n)]


def lp_during(kernels, lp, bursts):
    lp_kernels = [k for k in kernels if k[2] == lp]
    starts = [k[0] for k in lp_kernels]
    rows = []
    for b in bursts:
        first, last = b[0][0], b[-1][1]
        i = bisect.bisect_left(starts, first - 200_000_000)
        draining, inside, after_start = [], [], []
        while i < len(lp_kernels) and lp_kernels[i][0] <= last:
            k = lp_kernels[i]
            if k[0] < first < k[1]:
                draining.append(k)
            elif first <= k[0] <= last:
                inside.append(k)
            i += 1
        drain_ns = max((k[1] - first for k in draining), default=0)
        inside_ns = sum(min(k[1], last) - k[0] for k in inside)
        rows.append((last - first, drain_ns, inside_ns, draining, inside))
    return rows


def shared_report(path, alone_medians, alone_gaps):
    kernels = read(path)
    hp, lp = split(kernels, True)
    bursts, usual, total, all_bursts = requests(kernels, hp)
    print(f"\n== {path}: online stream {hp}, batch stream {lp}; {total} bursts, {len(bursts)} kept of {usual} kernels")
    spans = describe("shared", bursts)
    medians, gaps = per_kernel_medians(bursts)
    if alone_medians and len(alone_medians) == len(medians):
        deltas = sorted(((m - a, i) for i, (m, a) in enumerate(zip(medians, alone_medians))), reverse=True)
        print(f"per online kernel, median shared - alone: sum {us(sum(d for d, _ in deltas)):.1f} us; "
              f"gaps between kernels, sum of medians shared - alone "
              f"{us(sum(gaps) - sum(alone_gaps)):.1f} us")
        for d, i in deltas[:12]:
            print(f"  kernel {i:3d} {bursts[0][i][4][:60]:60s} grid {bursts[0][i][3]:6d}: alone "
                  f"{us(alone_medians[i]):7.1f} us, shared {us(medians[i]):7.1f} (+{us(d):.1f}); gap before "
                  f"{us(alone_gaps[i]):.1f} -> {us(gaps[i]):.1f} us")
    flag_report(path, bursts)
    breakdown_report(path, all_bursts)
    rows = lp_during(kernels, lp, bursts)
    drains = [r[1] for r in rows]
    insides = [r[2] for r in rows]
    print(f"batch kernel running at the request's first online kernel (draining): in {sum(1 for r in rows if r[3])} "
          f"of {len(rows)} requests, its end after that start median {us(statistics.median(drains)):.1f} us, "
          f"P99 {us(pct(drains, 0.99)):.1f}")
    print(f"batch kernels starting inside a request: {sum(len(r[4]) for r in rows)} in all, GPU time inside "
          f"median {us(statistics.median(insides)):.1f} us, P99 {us(pct(insides, 0.99)):.1f}")
    names = Counter((k[4][:50], k[3]) for r in rows for k in r[4])
    for (name, grid), n in names.most_common(12):
        durs = [k[1] - k[0] for r in rows for k in r[4] if (k[4][:50], k[3]) == (name, grid)]
        print(f"  inside: {n:5d} x {name:40s} grid {grid:7d}: median {us(statistics.median(durs)):.1f} us "
              f"({statistics.median(durs) / grid:.1f} ns a block)")
    dnames = Counter(k[4][:50] for r in rows for k in r[3])
    for name, n in dnames.most_common(8):
        print(f"  draining: {n:5d} x {name}")
    print("span by the batch model's GPU time during the request (its draining kernel after the first online start, plus those starting inside):")
    for lo, hi in ((0, 1), (1, 50_000), (50_000, 150_000), (150_000, 300_000), (300_000, 500_000), (500_000, 10**12)):
        sel = [r[0] for r in rows if lo <= r[1] + r[2] < hi]
        if sel:
            label = "none" if hi == 1 else f"[{us(lo):.0f}, {us(hi) if hi < 10**12 else float('inf'):.0f}) us"
            print(f"  {label}: {len(sel):4d} requests, span median "
                  f"{us(statistics.median(sel)):.1f} us")
    order = sorted(range(len(rows)), key=lambda j: rows[j][0])
    slow = order[-max(1, len(order) // 100):]
    fast = order[:len(order) // 2]
    for label, idx in (("fastest half", fast), ("slowest 1%", slow)):
        print(f"{label}: span mean {us(statistics.mean(rows[j][0] for j in idx)):.1f} us, drain mean "
              f"{us(statistics.mean(rows[j][1] for j in idx)):.1f} us, batch GPU time inside mean "
              f"{us(statistics.mean(rows[j][2] for j in idx)):.1f} us, requests with a draining kernel "
              f"{sum(1 for j in idx if rows[j][3])}/{len(idx)}")
    # Online kernels that overlapped any batch kernel against those that did not, per kernel index.
    # The batch stream runs its kernels one after another, so only the last batch kernel that
    # started before an online kernel ended can overlap it (the one before ended before that
    # started); the one before is checked too, which costs nothing.
    lp_iv = sorted((k[0], k[1]) for k in kernels if k[2] == lp)
    lp_starts = [s for s, _ in lp_iv]
    over, clear = defaultdict(list), defaultdict(list)
    for b in bursts:
        for i, k in enumerate(b):
            j = bisect.bisect_left(lp_starts, k[1]) - 1
            hit = any(lp_iv[m][0] < k[1] and lp_iv[m][1] > k[0] for m in (j, j - 1) if m >= 0)
            (over if hit else clear)[i].append(k[1] - k[0])
    extra = sum(statistics.median(over[i]) - statistics.median(clear[i])
                for i in over if len(over[i]) > 5 and len(clear[i]) > 5)
    shared_n = sum(len(v) for v in over.values())
    print(f"online kernels overlapping a batch kernel: {shared_n} of {shared_n + sum(len(v) for v in clear.values())}; "
          f"sum over kernel indices of median(overlapped) - median(not): {us(extra):.1f} us")
    return spans


def breakdown_report(path, bursts):
    """With the demo's hp-breakdown.csv in the folder named like the trace (NAME.tsv, NAME/), the
    demo's own GPU span (an event before the first online kernel to one after the last) against
    the kernels' span: what lies between the start event and the first kernel, or after the last."""
    import csv
    import os
    csv_path = os.path.join(os.path.splitext(path)[0], "hp-breakdown.csv")
    if not os.path.exists(csv_path):
        return
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    # The measured requests are the last ones; the first bursts include the warm-up.
    paired = list(zip(rows, bursts[-len(rows):])) if len(bursts) >= len(rows) else []
    if not paired:
        return
    gaps = [float(r["gpu_ms"]) * 1e6 - (b[-1][1] - b[0][0]) for r, b in paired]
    print(f"the demo's GPU span minus the kernels' span ({len(gaps)} requests): median {us(statistics.median(gaps)):.1f} us, "
          f"P90 {us(pct(gaps, 0.9)):.1f}")


def flag_report(path, bursts):
    """Where the stop flag's write falls against each request, from the "M", "K" and "A" lines."""
    flags, kernel_corr, api = [], {}, {}
    with open(path) as f:
        for line in f:
            p = line.split()
            # A run stopped by a signal can leave a truncated last line: lines of the wrong length are skipped.
            if p and p[0] == "M" and len(p) == 6 and int(p[4]) == 4:
                flags.append((int(p[1]), int(p[2]), int(p[3]), int(p[5])))
            elif p and p[0] == "K" and len(p) == 3:
                kernel_corr[int(p[2])] = int(p[1])  # by start time: two kernels starting in the same ns are not told apart
            elif p and p[0] == "A" and len(p) == 6:
                api[int(p[5])] = (int(p[1]), int(p[2]), int(p[3]), int(p[4]))
    if not flags:
        return
    flags.sort()
    starts = [m[0] for m in flags]
    rows = []
    for b in bursts:
        s = b[0][0]
        i = bisect.bisect_left(starts, s - 1_000_000)
        if i == len(flags) or flags[i][0] > s + 1_000_000:
            continue
        raise_gpu = flags[i][0]
        launch = api.get(kernel_corr.get(s, -1))
        write = api.get(flags[i][3])
        rows.append((raise_gpu - s, launch, write, s))
    print(f"stop flag raises found for {len(rows)} of {len(bursts)} requests (4-byte copies within 1 ms of the first online kernel)")
    print(f"  flag copy on the GPU - first online kernel start: median {us(statistics.median(r[0] for r in rows)):.1f} us, "
          f"P10 {us(pct([r[0] for r in rows], 0.1)):.1f}, P90 {us(pct([r[0] for r in rows], 0.9)):.1f}")
    host = [r for r in rows if r[1] and r[2]]
    if host:
        decide = [r[2][0] - r[1][0] for r in host]
        copy = [r[0] + r[3] - r[2][0] for r in host]
        start = [r[3] - r[1][0] for r in host]
        print(f"  host: flag write call - first online launch call: median {us(statistics.median(decide)):.1f} us, "
              f"P90 {us(pct(decide, 0.9)):.1f}; flag copy on the GPU - its call: median {us(statistics.median(copy)):.1f} us, "
              f"P90 {us(pct(copy, 0.9)):.1f}; first online kernel start - its launch call: median "
              f"{us(statistics.median(start)):.1f} us, P90 {us(pct(start, 0.9)):.1f}")


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    alone = read(argv[1])
    hp, _ = split(alone, False)
    bursts, usual, total, all_bursts = requests(alone, hp)
    print(f"== {argv[1]}: online stream {hp}; {total} bursts, {len(bursts)} kept of {usual} kernels")
    describe("alone", bursts)
    breakdown_report(argv[1], all_bursts)
    medians, gaps = per_kernel_medians(bursts)
    for path in argv[2:]:
        shared_report(path, medians, gaps)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
