#!/usr/bin/env python3
"""When does a stream evaluate a device-side gate: as soon as its front end reaches it, or once
the work before it on the stream completed?

Why it matters (docs/libraries.md, round 15 f): the XQueue's device gate puts
cuStreamWaitValue32(flag == 0) before each gated command, so that a suspend (flag raised) stops
the stream after the command running. Round 15 f found the online requests beside the gated GEMM
job waiting no longer for their first kernel but running 0.6 ms longer. One candidate: more
panels than the one running kept the SMs after the suspend, as if each gate had been passed when
the stream's front end reached it, with the panel before it still running. Round 16 b (2026-12-03,
H200, docs/data/2026-12-03-h200-round16/b/1-gate-order.txt) says no: every gate here held the
first (12.2-12.4 ms), and a wait with CU_STREAM_WAIT_VALUE_FLUSH is refused there (801,
CUDA_ERROR_NOT_SUPPORTED).

Each trial enqueues on one stream: a spin kernel K1 (torch.cuda._sleep, 2 ms), the gate under
test, a second spin kernel K2 (2 ms), the gate again, then a short K3 and an event. The host
raises the flag 0.5 ms after the enqueue (K1 running) and lowers it at 10 ms. The time from the
first event to the last says which gates held:
  about  4 ms: both gates passed at once (evaluated when reached, K1 still running);
  about 10 ms: the first passed early, the second held (the front end stalls at a kernel that
               must wait for the one before it, and evaluated the second gate after K1 ended);
  about 12 ms: the first gate held until the flag was lowered (evaluated after K1 completed).
The flag never raised gives each gate's cost on an idle stream.

Gates: wait (cuStreamWaitValue32 EQ), wait-flush (with CU_STREAM_WAIT_VALUE_FLUSH), write+wait
(cuStreamWriteValue32 of a scratch word, then the wait), event+wait (an event recorded, then the
wait), kernel (a one-thread kernel spinning on the flag, compiled with NVRTC).

Run on the GPU host with PyTorch: python3 docs/device/gate_order.py [trials]
"""
import ctypes
import statistics
import sys
import time

import torch

from driver_kernels import check, compile_kernel, cuda, launch_one_thread

CU_STREAM_WAIT_VALUE_EQ = 0x1
CU_STREAM_WAIT_VALUE_FLUSH = 1 << 30


def sym(lib, *names):
    for name in names:
        try:
            return getattr(lib, name)
        except AttributeError:
            pass
    raise RuntimeError("none of %s in %s" % (names, lib))


wait_value = sym(cuda, "cuStreamWaitValue32_v2", "cuStreamWaitValue32")
wait_value.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint32, ctypes.c_uint]
write_value = sym(cuda, "cuStreamWriteValue32_v2", "cuStreamWriteValue32")
write_value.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint32, ctypes.c_uint]

GATE_SOURCE = b"""
extern "C" __global__ void gate(const volatile unsigned int* flag, unsigned int value) {
    while (*flag != value) { __nanosleep(1000); }
}
"""


def main():
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    torch.cuda.init()
    flag = torch.zeros(1, dtype=torch.int32, device="cuda")
    scratch = torch.zeros(1, dtype=torch.int32, device="cuda")
    one = torch.ones(1, dtype=torch.int32).pin_memory()
    zero = torch.zeros(1, dtype=torch.int32).pin_memory()
    stream = torch.cuda.Stream()
    flag_stream = torch.cuda.Stream(priority=-1)
    gate_kernel = compile_kernel(GATE_SOURCE, b"gate")
    side_event = torch.cuda.Event()

    # Spin cycles per millisecond, from a timed spin.
    a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    # torch.cuda._sleep spins on the current stream: make it this one, as in the trials.
    with torch.cuda.stream(stream):
        for _ in range(3):  # the first spins run while the SM clock comes up from idle
            a.record(stream)
            torch.cuda._sleep(50_000_000)
            b.record(stream)
            torch.cuda.synchronize()
    cycles_per_ms = int(50_000_000 / a.elapsed_time(b))
    print("spin cycles per ms: %d" % cycles_per_ms)

    handle = ctypes.c_void_p(stream.cuda_stream)

    def gate(kind):
        if kind == "wait":
            check("wait", wait_value(handle, flag.data_ptr(), 0, CU_STREAM_WAIT_VALUE_EQ))
        elif kind == "wait-flush":
            check("wait", wait_value(handle, flag.data_ptr(), 0, CU_STREAM_WAIT_VALUE_EQ | CU_STREAM_WAIT_VALUE_FLUSH))
        elif kind == "write+wait":
            check("write", write_value(handle, scratch.data_ptr(), 1, 0))
            check("wait", wait_value(handle, flag.data_ptr(), 0, CU_STREAM_WAIT_VALUE_EQ))
        elif kind == "event+wait":
            side_event.record(stream)
            check("wait", wait_value(handle, flag.data_ptr(), 0, CU_STREAM_WAIT_VALUE_EQ))
        elif kind == "kernel":
            launch_one_thread(gate_kernel, handle, ctypes.c_uint64(flag.data_ptr()), ctypes.c_uint32(0))
        else:
            raise ValueError(kind)

    def spin_until(t0, ms):
        while (time.perf_counter() - t0) * 1000 < ms:
            pass

    def set_flag(src):
        with torch.cuda.stream(flag_stream):
            flag.copy_(src, non_blocking=True)
        flag_stream.synchronize()

    def trial(kind, raise_flag):
        set_flag(zero)
        torch.cuda.synchronize()
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        with torch.cuda.stream(stream):
            start.record(stream)
            torch.cuda._sleep(2 * cycles_per_ms)
            gate(kind)
            torch.cuda._sleep(2 * cycles_per_ms)
            gate(kind)
            torch.cuda._sleep(cycles_per_ms // 10)
            end.record(stream)
        t0 = time.perf_counter()
        if raise_flag:
            spin_until(t0, 0.5)
            set_flag(one)
            spin_until(t0, 10.0)
            set_flag(zero)
        stream.synchronize()
        return start.elapsed_time(end)

    kinds = ["wait", "wait-flush", "write+wait", "event+wait", "kernel"]
    for kind in kinds:
        try:
            trial(kind, False)  # warm-up
        except RuntimeError as e:
            print("%-11s not available: %s" % (kind, e))
            torch.cuda.synchronize()
            continue
        idle = [trial(kind, False) for _ in range(trials)]
        raised = [trial(kind, True) for _ in range(trials)]
        print("%-11s flag never raised: %6.3f ms (4.1 + the gates' cost)   raised 0.5-10 ms: %s ms (median %.3f)"
              % (kind, statistics.median(idle), " ".join("%.3f" % r for r in raised), statistics.median(raised)))
    print("about 4 ms: both gates passed at once; about 10 ms: the second held; about 12 ms: the first held")


if __name__ == "__main__":
    main()
