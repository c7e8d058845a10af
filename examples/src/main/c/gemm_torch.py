#!/usr/bin/env python3
"""The torch twin of `xsched bench gemm` and gemm_bench.c: torch.matmul on N x N FP32 CUDA tensors
with TF32 allowed (torch.backends.cuda.matmul.allow_tf32 = True, which makes PyTorch call cuBLAS with
TF32 tensor-core math), uniform [-1, 1) data, an event before and after each matmul on the current
stream, --iterations after --warmup, and the wall time of all iterations back to back. Same output.

  python3 gemm_torch.py [--size N] [--iterations N] [--warmup N] [--compute tf32|fp32]
"""
import argparse
import json
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--size", type=int, default=8192)
parser.add_argument("--iterations", type=int, default=50)
parser.add_argument("--warmup", type=int, default=10)
parser.add_argument("--compute", choices=["tf32", "fp32"], default="tf32")
parser.add_argument("--queue", default=None, help="accepted and ignored (a Java-only option)")
args = parser.parse_args()

torch.backends.cuda.matmul.allow_tf32 = args.compute == "tf32"
n = args.size
generator = torch.Generator(device="cuda").manual_seed(42)
a = torch.rand((n, n), device="cuda", dtype=torch.float32, generator=generator) * 2 - 1
b = torch.rand((n, n), device="cuda", dtype=torch.float32, generator=generator) * 2 - 1
c = torch.empty((n, n), device="cuda", dtype=torch.float32)
for _ in range(args.warmup):
    torch.matmul(a, b, out=c)
torch.cuda.synchronize()

events = [torch.cuda.Event(enable_timing=True) for _ in range(args.iterations + 1)]
start = time.monotonic()
events[0].record()
for i in range(1, args.iterations + 1):
    torch.matmul(a, b, out=c)
    events[i].record()
torch.cuda.synchronize()
wall = time.monotonic() - start
millis = sorted(events[i].elapsed_time(events[i + 1]) for i in range(args.iterations))
median, best = millis[(len(millis) - 1) // 2], millis[0]
flops = 2.0 * n * n * n
label = args.compute.upper()
name = torch.cuda.get_device_name(0)
print(f"gemm benchmark: torch {torch.__version__}, {name}, {label} GEMM {n}^3, {args.iterations} iterations after {args.warmup} warm-up")
print(f"  per GEMM (events): median {median:.3f} ms ({flops / (median * 1e-3) / 1e12:.1f} TFLOP/s), "
      f"best {best:.3f} ms ({flops / (best * 1e-3) / 1e12:.1f} TFLOP/s)")
print(f"  back to back (wall): {wall:.3f} s, {flops * args.iterations / wall / 1e12:.1f} TFLOP/s")
print("JSON " + json.dumps({"impl": "torch", "device": name, "size": n, "compute": label, "iterations": args.iterations,
                            "warmup": args.warmup, "median_ms": round(median, 4), "best_ms": round(best, 4),
                            "tflops_median": round(flops / (median * 1e-3) / 1e12, 1), "wall_s": round(wall, 4),
                            "tflops_wall": round(flops * args.iterations / wall / 1e12, 1)}, separators=(",", ":")))
