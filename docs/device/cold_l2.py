#!/usr/bin/env python3
"""Is the online model slower after the batch model has swept the GPU's caches, and does reading
its weights beside its first kernels win that back?

Why it matters (docs/results.md, round 27): beside the yielding ResNet-50, `xsched-hpf` gives the
online ResNet-18 a GPU span (first kernel's start to last kernel's end) of 1.54 ms at the median
against 1.44 ms alone, while its wait for the GPU (submission to first kernel) is no longer (0.03
ms): the whole excess is in its kernels. Alone, ResNet-18's 47 MB of weights stay in the H200's
50 MB L2 and its TLBs from one request to the next; beside ResNet-50 at batch 1024 (about 10 GB
touched per iteration) every request starts with both swept.

What it does: torchvision's ResNet-18 at batch 1 (random weights, eval, no_grad, TF32 allowed as
in pytorch_scenario.py) captured in a CUDA graph, so that its time is the GPU's and not Python's
launches; its parameters moved into one flat buffer first, so that one kernel can read them all.
Each round runs every mode once, in this order, with --idle-ms of idle GPU before each timed
forward (the scenario's requests are 50 ms apart); each forward is timed by events on its stream.
  warm            nothing between two forwards
  swept-l2        --l2-mb MB written between (evicts L2, few TLB entries)
  swept           --sweep-gb GB written between (evicts L2 and the TLBs' reach)
  swept-prefetch  as swept, then the weights read (a sum of the flat buffer) on a second stream
                  of the same priority launched just before the forward: the prefetch races the
                  forward's first layers and is not timed
  swept-serial    as swept, then the weights read on the forward's own stream, timed with it
Prints per mode P50, P99, mean and max in ms, and the prefetch kernel's own time.

Run on the GPU host with PyTorch: python3 docs/device/cold_l2.py [--rounds N] [--json FILE]
Changes no GPU setting.
"""
import argparse
import json
import statistics
import sys
import time

MODES = ("warm", "swept-l2", "swept", "swept-prefetch", "swept-serial")


def percentile(sorted_values, q):
    """Nearest rank."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(q * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def flatten_parameters(torch, model):
    """Moves every parameter and buffer into one contiguous tensor; returns it."""
    tensors = [p for p in model.parameters()] + [b for b in model.buffers() if b.is_floating_point()]
    total = sum(t.numel() for t in tensors)
    flat = torch.empty(total, device="cuda", dtype=torch.float32)
    offset = 0
    for t in tensors:
        n = t.numel()
        flat[offset:offset + n].copy_(t.detach().reshape(-1))
        t.data = flat[offset:offset + n].view_as(t)
        offset += n
    return flat


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=400)
    ap.add_argument("--idle-ms", type=float, default=20.0)
    ap.add_argument("--l2-mb", type=int, default=256)
    ap.add_argument("--sweep-gb", type=float, default=8.0)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()

    import torch
    import torchvision

    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    model = torchvision.models.resnet18().cuda().eval()
    flat = flatten_parameters(torch, model)
    x = torch.randn(1, 3, 224, 224, device="cuda")
    sweep = torch.empty(int(args.sweep_gb * 2**30) // 4, device="cuda")
    l2 = sweep[: args.l2_mb * 2**20 // 4]
    main_stream = torch.cuda.Stream()
    side_stream = torch.cuda.Stream()
    sink = torch.empty(1, device="cuda")

    with torch.no_grad(), torch.cuda.stream(main_stream):
        for _ in range(20):
            model(x)
        torch.cuda.synchronize()
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph, stream=main_stream):
            model(x)
        torch.cuda.synchronize()

    times = {m: [] for m in MODES}
    prefetch_ms = []

    def timed(mode):
        with torch.no_grad():
            if mode in ("swept-l2",):
                l2.fill_(1.0)
            elif mode != "warm":
                sweep.fill_(1.0)
            torch.cuda.synchronize()
            time.sleep(args.idle_ms / 1000)
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            with torch.cuda.stream(main_stream):
                if mode == "swept-prefetch":
                    p0 = torch.cuda.Event(enable_timing=True)
                    p1 = torch.cuda.Event(enable_timing=True)
                    with torch.cuda.stream(side_stream):
                        p0.record(side_stream)
                        torch.sum(flat, dim=0, out=sink[0])
                        p1.record(side_stream)
                start.record(main_stream)
                if mode == "swept-serial":
                    torch.sum(flat, dim=0, out=sink[0])
                graph.replay()
                end.record(main_stream)
            torch.cuda.synchronize()
            times[mode].append(start.elapsed_time(end))
            if mode == "swept-prefetch":
                prefetch_ms.append(p0.elapsed_time(p1))

    for _ in range(5):          # warm-up of every path
        for m in MODES:
            timed(m)
    for m in MODES:
        times[m].clear()
    prefetch_ms.clear()
    for _ in range(args.rounds):
        for m in MODES:
            timed(m)

    print(f"ResNet-18 b1 (CUDA graph) on {torch.cuda.get_device_name()}, torch {torch.__version__}, "
          f"{flat.numel() * 4 / 2**20:.1f} MiB of weights, {args.rounds} rounds, idle {args.idle_ms} ms before each")
    print(f"{'mode':16s} {'P50 ms':>8s} {'P99 ms':>8s} {'mean ms':>8s} {'max ms':>8s}")
    summary = {}
    for m in MODES:
        v = sorted(times[m])
        row = {"p50": percentile(v, 0.5), "p99": percentile(v, 0.99), "mean": statistics.fmean(v), "max": v[-1]}
        summary[m] = row
        print(f"{m:16s} {row['p50']:8.3f} {row['p99']:8.3f} {row['mean']:8.3f} {row['max']:8.3f}")
    pv = sorted(prefetch_ms)
    print(f"prefetch kernel (sum of the weights, side stream): P50 {percentile(pv, 0.5):.3f} ms")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"args": vars(args), "modes": summary, "prefetch_p50_ms": percentile(pv, 0.5),
                       "raw": times}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
