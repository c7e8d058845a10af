#!/usr/bin/env python3
"""Do the thread blocks of a suspended batch kernel, each exiting at its first check, still delay
the online kernels, and does stream priority hide them?

Why it matters (docs/multiprocess.md, round 18 a): in two processes under MPS the online
ResNet-18's kernels take 2.04 ms on the GPU beside the yielding ResNet-50, against 1.71 ms in one
process, at the same clock; with the batch process limited to 90% of the SMs, 1.87 ms. Our
yieldable kernels keep one progress word per thread block, so a kernel whose flag is raised still
has every block it has not started yet dispatched, each reading the flag and exiting: for a
convolution of batch 1024, tens of thousands of blocks. In one process the online stream's higher
priority lets its blocks go first; across MPS clients stream priorities may not order the blocks.
A persistent grid (as many blocks as fit at once, each looping over the work) would leave no such
tail.

What it does (NVRTC kernels launched through the driver API beside PyTorch):
  hp             the online stand-in: one block per SM, 128 threads, spinning --hp-cycles; its time
                 from an event before it to one after it on its stream (so its wait for SMs counts)
  lp tail        --lp-blocks blocks of 256 threads whose flag is raised: each reads it and exits
  lp persistent  one wave of blocks (8 per SM) looping over --lp-blocks virtual blocks, reading
                 the raised flag at each: the whole grid exits at its first check
The LP side launches its grids back to back on its own stream for the whole measurement (8, then
a synchronize, over and over), from a thread of this process or from a second process.
Modes (--modes, comma-separated):
  alone               hp with nothing beside it
  tail-priority       lp tail on a low-priority stream, hp on a high-priority one (one process)
  tail-equal          both at the same priority (one process)
  persistent-equal    lp persistent, same priority (one process)
  tail-2p             lp tail from a second process (under MPS if the caller started its daemon)
  persistent-2p       lp persistent from a second process
Prints per mode hp's P50, P99 and max in us and the LP grid's time (us per grid).

Run on the GPU host with PyTorch: python3 docs/device/noop_tail.py [--modes ...]
Changes no GPU setting.
"""
import argparse
import ctypes
import math
import statistics
import subprocess
import sys
import threading
import time

import torch

from driver_kernels import check, compile_kernel, cuda, launch

SOURCE = b"""
extern "C" __global__ void lp_tail(const volatile int* flag, long long spin) {
    if (*flag) return;
    long long t0 = clock64();
    while (clock64() - t0 < spin) { }
}
extern "C" __global__ void lp_persistent(const volatile int* flag, int virtual_blocks, long long spin) {
    for (int vb = blockIdx.x; vb < virtual_blocks; vb += gridDim.x) {
        if (*flag) return;
        long long t0 = clock64();
        while (clock64() - t0 < spin) { }
    }
}
extern "C" __global__ void hp(long long spin) {
    long long t0 = clock64();
    while (clock64() - t0 < spin) { }
}
"""

MODES = ["alone", "tail-priority", "tail-equal", "persistent-equal", "tail-2p", "persistent-2p"]


class LpLoop:
    """Launches LP grids whose flag is raised on a stream of `priority` until stopped; counts them."""

    def __init__(self, kind, priority, lp_blocks, sms):
        self.kind, self.lp_blocks, self.sms = kind, lp_blocks, sms
        self.stream = torch.cuda.Stream(priority=priority)
        self.flag = torch.ones(1, dtype=torch.int32, device="cuda")   # raised: every block exits at its check
        self.function = compile_kernel(SOURCE, b"lp_" + kind.encode())
        self.grids = 0
        self.seconds = 0.0
        # A thread of its own has no current context for the driver API: it takes this one's.
        self.context = ctypes.c_void_p()
        check("cuCtxGetCurrent", cuda.cuCtxGetCurrent(ctypes.byref(self.context)))

    def run(self, stop):
        check("cuCtxSetCurrent", cuda.cuCtxSetCurrent(self.context))
        handle = ctypes.c_void_p(self.stream.cuda_stream)
        flag = ctypes.c_uint64(self.flag.data_ptr())
        spin = ctypes.c_int64(0)
        virtual = ctypes.c_int32(self.lp_blocks)
        start = time.perf_counter()
        while not stop():
            for _ in range(8):
                if self.kind == "tail":
                    launch(self.function, handle, self.lp_blocks, 256, flag, spin)
                else:
                    launch(self.function, handle, self.sms * 8, 256, flag, virtual, spin)
                self.grids += 1
            check("cuStreamSynchronize", cuda.cuStreamSynchronize(handle))   # releases the GIL, unlike a busy wait
        self.seconds = time.perf_counter() - start

    def us_per_grid(self):
        return self.seconds * 1e6 / self.grids if self.grids else float("nan")


def hp_times(args, priority, sms):
    """hp's time from an event before it to one after it, in us, over --reps launches."""
    stream = torch.cuda.Stream(priority=priority)
    handle = ctypes.c_void_p(stream.cuda_stream)
    function = compile_kernel(SOURCE, b"hp")
    spin = ctypes.c_int64(args.hp_cycles)
    times = []
    for _ in range(args.reps):
        before = torch.cuda.Event(enable_timing=True)
        after = torch.cuda.Event(enable_timing=True)
        before.record(stream)
        launch(function, handle, sms, 128, spin)
        after.record(stream)
        after.synchronize()
        times.append(before.elapsed_time(after) * 1000.0)
        time.sleep(args.gap_ms / 1000.0)
    return times


def percentile(values, p):
    """Nearest rank: the value at rank ceil(p * n), 1-based."""
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(p * len(ordered)))) - 1]


def lp_child(args):
    """--role lp: the LP loop in this process until --seconds pass; prints its grids' time."""
    sms = torch.cuda.get_device_properties(0).multi_processor_count
    loop = LpLoop(args.kind, 0, args.lp_blocks, sms)
    print("started", flush=True)
    deadline = time.perf_counter() + args.seconds
    loop.run(lambda: time.perf_counter() > deadline)
    print("grids %d us_per_grid %.1f" % (loop.grids, loop.us_per_grid()), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modes", default=",".join(MODES[:4]))
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--gap-ms", type=float, default=0.5, help="pause between two hp launches")
    parser.add_argument("--hp-cycles", type=int, default=40000, help="hp's spin, about 20 us at 1980 MHz")
    parser.add_argument("--lp-blocks", type=int, default=100000)
    parser.add_argument("--role", choices=["hp", "lp"], default="hp", help=argparse.SUPPRESS)
    parser.add_argument("--kind", choices=["tail", "persistent"], default="tail", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=5.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    modes = args.modes.split(",")
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        parser.error("unknown mode(s) %s (known: %s)" % (unknown, ", ".join(MODES)))
    torch.cuda.init()
    torch.zeros(1, device="cuda")   # the primary context, current on this thread for the driver calls
    if args.role == "lp":
        lp_child(args)
        return
    sms = torch.cuda.get_device_properties(0).multi_processor_count
    print("%s, %d SMs; hp: %d blocks x 128 threads, %d cycles; lp: %d blocks x 256 threads, flag raised; %d reps"
          % (torch.cuda.get_device_name(0), sms, sms, args.hp_cycles, args.lp_blocks, args.reps))
    hp_times(argparse.Namespace(**{**vars(args), "reps": 20}), 0, sms)   # compiles and warms hp
    print("%-18s %9s %9s %9s %14s" % ("mode", "hp P50", "hp P99", "hp max", "LP us/grid"))
    for mode in modes:
        lp_note = "-"
        if mode == "alone":
            times = hp_times(args, -1, sms)
        elif mode.endswith("-2p"):
            kind = mode.split("-")[0]
            child = subprocess.Popen([sys.executable, __file__, "--role", "lp", "--kind", kind,
                                      "--lp-blocks", str(args.lp_blocks), "--seconds", "600"],
                                     stdout=subprocess.PIPE, text=True)
            if child.stdout.readline().strip() != "started":
                raise RuntimeError("the LP process did not start (exit %s)" % child.poll())
            time.sleep(0.5)
            times = hp_times(args, -1, sms)
            child.terminate()
            child.wait(30)
            lp_note = "(other process)"
        else:
            kind, priority = mode.split("-")
            hp_priority = -1 if priority == "priority" else 0
            loop = LpLoop(kind, 0, args.lp_blocks, sms)
            done = threading.Event()
            thread = threading.Thread(target=loop.run, args=(done.is_set,), daemon=True)
            thread.start()
            time.sleep(0.2)
            times = hp_times(args, hp_priority, sms)
            done.set()
            thread.join(60)
            lp_note = "%.1f" % loop.us_per_grid()
        print("%-18s %6.1f us %6.1f us %6.1f us %14s" % (mode, statistics.median(times), percentile(times, 0.99),
                                                      max(times), lp_note), flush=True)


if __name__ == "__main__":
    main()
