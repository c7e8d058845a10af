#!/usr/bin/env python3
"""How fast does the SM clock come back once a power-capped batch job stops?

Why it matters (docs/libraries.md, round 16): beside the TF32 GEMM job the H200 runs at its 700 W
limit, 1530 MHz with the job alone and 1613 MHz under gated xsched-hpf, against 1980 MHz with the
online model alone; those are nvidia-smi's 100 ms samples. The scheduler suspends the GEMM queue
through each online request (about 2 ms). If the clock comes back within microseconds of the
GEMMs stopping, the online kernels run at full clock and the clock is not why their span grows
1.38x; if it takes milliseconds or more, it is, and no scheduling of a job that keeps 95% of its
rate can avoid it.

What it does, with PyTorch and a probe kernel compiled with NVRTC (one thread: it counts SM
cycles, clock64, against the GPU's nanosecond timer, %globaltimer, over a short window, and
writes both; cycles per nanosecond is that SM's clock in GHz):
  1. TF32 GEMMs (8192^3) on a low-priority stream for --heat seconds, to reach the power limit;
  2. --cycles times: about --busy-ms of GEMMs on that stream, then, on a high-priority stream that
     waits for the last of them, probes back to back for --probe-ms; then the same probes beside
     the GEMMs still running (the clock an online kernel gets when nothing is suspended);
  3. the clock per interval since the GEMMs ended (medians over the cycles), and the clock with
     the GPU otherwise idle after a pause, for comparison.

Run on the GPU host with PyTorch: python3 docs/device/clock_response.py [--cycles 20]
Changes no GPU setting.
"""
import argparse
import ctypes
import statistics
import time

import torch

from driver_kernels import compile_kernel, launch_one_thread

PROBE_SOURCE = b"""
extern "C" __global__ void probe(unsigned long long* out, unsigned long long window_ns) {
    unsigned long long t0, t1;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t0));
    long long c0 = clock64();
    do {
        asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t1));
    } while (t1 - t0 < window_ns);
    long long c1 = clock64();
    out[0] = (unsigned long long) (c1 - c0);
    out[1] = t1 - t0;
    out[2] = t0;
}
"""

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--heat", type=float, default=3.0, help="seconds of GEMMs before the first cycle")
    parser.add_argument("--busy-ms", type=float, default=50.0, help="GEMM time before each stop")
    parser.add_argument("--probe-ms", type=float, default=5.0, help="how long the probes run after each stop")
    parser.add_argument("--window-us", type=float, default=20.0, help="one probe's window")
    args = parser.parse_args()

    torch.backends.cuda.matmul.allow_tf32 = True
    n = 8192
    a = torch.randn(n, n, device="cuda")
    b = torch.randn(n, n, device="cuda")
    c = torch.empty(n, n, device="cuda")
    low = torch.cuda.Stream(priority=0)
    high = torch.cuda.Stream(priority=-1)
    probe = compile_kernel(PROBE_SOURCE, b"probe")
    probes = max(1, int(args.probe_ms * 1000 / args.window_us))
    out = torch.zeros(probes * 3, dtype=torch.int64, device="cuda")
    window = ctypes.c_uint64(int(args.window_us * 1000))
    high_handle = ctypes.c_void_p(high.cuda_stream)

    def launch_probes():
        for i in range(probes):
            launch_one_thread(probe, high_handle, ctypes.c_uint64(out.data_ptr() + i * 3 * 8), window)

    def read_probes():
        high.synchronize()
        v = out.view(probes, 3).cpu().tolist()
        t_first = v[0][2]
        # (ms since the first probe started, MHz)
        return [((t0 - t_first) / 1e6, cycles * 1000.0 / ns) for cycles, ns, t0 in v if ns > 0]

    with torch.cuda.stream(low):
        torch.matmul(a, b, out=c)   # cuBLAS's first call sets up; not timed
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record(low)
        for _ in range(10):
            torch.matmul(a, b, out=c)
        end.record(low)
    end.synchronize()
    per = start.elapsed_time(end) / 10

    def gemms(ms):
        with torch.cuda.stream(low):
            for _ in range(max(1, int(ms / per))):
                torch.matmul(a, b, out=c)

    gemms(args.heat * 1000)
    print("one GEMM %.3f ms; %d probes of %.0f us after each stop" % (per, probes, args.window_us))

    after_stop = []   # (ms since the GEMMs ended, MHz)
    beside = []       # MHz with the GEMMs running
    for _ in range(args.cycles):
        gemms(args.busy_ms)
        stopped = torch.cuda.Event()
        stopped.record(low)
        high.wait_event(stopped)
        launch_probes()
        after_stop.extend(read_probes())
        gemms(args.busy_ms)
        time.sleep(args.busy_ms / 2000)   # the probes land in the middle of the GEMMs
        launch_probes()
        beside.extend(mhz for _, mhz in read_probes())
        torch.cuda.synchronize()

    torch.cuda.synchronize()
    time.sleep(0.5)
    launch_probes()
    idle_after_pause = read_probes()

    print("SM clock beside the running GEMMs: median %.0f MHz (min %.0f, max %.0f, %d probes)"
          % (statistics.median(beside), min(beside), max(beside), len(beside)))
    edges = [0, 0.05, 0.1, 0.2, 0.5, 1, 2, 3, 5, 1e9]
    print("SM clock after the GEMMs stopped (medians over %d stops):" % args.cycles)
    for lo, hi in zip(edges, edges[1:]):
        values = [mhz for t, mhz in after_stop if lo <= t < hi]
        if values:
            print("  %5.2f-%-5s ms: %5.0f MHz (min %5.0f, max %5.0f, %d probes)"
                  % (lo, "%.2f" % hi if hi < 1e9 else "end", statistics.median(values), min(values), max(values),
                     len(values)))
    values = [mhz for _, mhz in idle_after_pause]
    print("after 0.5 s idle: first probe %.0f MHz, median %.0f MHz" % (idle_after_pause[0][1], statistics.median(values)))


if __name__ == "__main__":
    main()
