"""Can another process stop a batch process's kernels without a thread of the batch process? (issue 12)

Across processes the online process cannot raise the batch queue's stop flag itself today: the
suspend goes through the scheduler server to the batch process, whose thread raises the flag.
docs/multiprocess.md names two ways to take that thread off the path; this measures both on the
GPU before either is built into the library.

- `--raise store` (the default): the batch process keeps a word in a shared-memory file (/dev/shm),
  registered for the device (cuMemHostRegister with DEVICEMAP), and arms a stream of its own with a
  wait on that word (cuStreamWaitValue32) followed by a write that raises its kernels' stop flag
  (cuStreamWriteValue32 to device memory); the online process only stores the next epoch into the
  word, and needs no CUDA for it. `front-end` rounds end with the armed stream writing the
  acknowledgement into the shared file itself (the store seen by the GPU's front end and written
  back); `kernel` rounds with a grid that fills every SM spinning on the device flag, its first
  block writing the acknowledgement once the flag is up (the path a yieldable batch kernel takes
  to its next check).
- `--raise ipc` (kernel rounds only): the batch process exports its flag's allocation
  (cuIpcGetMemHandle) and the online process, with a CUDA context of its own, opens it
  (cuIpcOpenMemHandle) and raises the flag with cuStreamWriteValue32 on a stream of its own.

The waiter is this process (CUDA through PyTorch's primary context and ctypes); the storer is a
second Python process: it waits until a round is armed, sleeps 0.2-2 ms (the wait parked, the grid
spinning), stores the round's number or raises the flag, and spins until the acknowledgement
arrives in the shared file; its latencies (store or raise to acknowledgement seen, microseconds,
its own clock) are the result. Both need the shared file registered for the device: the
acknowledgement comes back through it. For comparison: the decision across processes through the
scheduler server took P50 21-22 us and P99 73-144 us on the H200's host (`xsched bench ipc`,
rounds 11-12), before the batch process's flag write.

Usage: python3 shm_wait_probe.py [--rounds N] [--ack front-end|kernel] [--raise store|ipc] [--output FILE.json]
"""
import argparse
import ctypes
import json
import mmap
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

SLOT = 64                     # each word on a cache line of its own
STORE, ACK, ARMED, DONE, STARTED = 0, 1, 2, 3, 4
SPIN_LIMIT_NS = 20_000_000_000  # the grid gives up spinning after 20 s (the storer after 10)
PAGE = 4096
IPC_HANDLE_SIZE = 64          # CU_IPC_HANDLE_SIZE


class IpcMemHandle(ctypes.Structure):
    _fields_ = [("reserved", ctypes.c_char * IPC_HANDLE_SIZE)]


def word(buffer, index):
    return ctypes.c_uint32.from_buffer(buffer, index * SLOT)


def percentiles(values):
    ordered = sorted(values)
    def nearest(p):  # nearest rank, as the demo's NearestRank
        k = max(1, -(-len(ordered) * p // 100))
        return ordered[int(k) - 1]
    return {"n": len(ordered), "p50_us": nearest(50), "p99_us": nearest(99), "p999_us": nearest(99.9),
            "max_us": ordered[-1], "mean_us": sum(ordered) / len(ordered)}


def cuda_driver():
    """PyTorch's primary context made current on this thread, and libcuda with the calls used
    here typed; exits with status 2 where torch is missing. Returns (torch, cuda, check)."""
    try:
        import torch  # noqa: E402 - only the sides that use CUDA need it
    except ImportError:
        print("shm_wait_probe.py needs torch with CUDA for its CUDA side (the GPU host has it)", file=sys.stderr)
        sys.exit(2)
    torch.cuda.init()
    torch.zeros(1, device="cuda")  # the primary context, current on this thread
    cuda = ctypes.CDLL("libcuda.so.1")

    def check(what, rc):
        if rc != 0:
            name = ctypes.c_char_p()
            known = cuda.cuGetErrorName(rc, ctypes.byref(name)) == 0 and name.value
            raise RuntimeError("%s failed: %d %s" % (what, rc, name.value.decode() if known else "(no name)"))

    u64p = ctypes.POINTER(ctypes.c_uint64)
    cuda.cuMemHostRegister_v2.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint]
    cuda.cuMemHostUnregister.argtypes = [ctypes.c_void_p]
    cuda.cuMemHostGetDevicePointer_v2.argtypes = [u64p, ctypes.c_void_p, ctypes.c_uint]
    cuda.cuStreamWaitValue32_v2.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint32, ctypes.c_uint]
    cuda.cuStreamWriteValue32_v2.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint32, ctypes.c_uint]
    cuda.cuStreamQuery.argtypes = [ctypes.c_void_p]
    cuda.cuMemAlloc_v2.argtypes = [u64p, ctypes.c_size_t]
    cuda.cuMemFree_v2.argtypes = [ctypes.c_uint64]
    cuda.cuMemsetD32_v2.argtypes = [ctypes.c_uint64, ctypes.c_uint, ctypes.c_size_t]
    cuda.cuMemsetD32Async.argtypes = [ctypes.c_uint64, ctypes.c_uint, ctypes.c_size_t, ctypes.c_void_p]
    cuda.cuIpcGetMemHandle.argtypes = [ctypes.POINTER(IpcMemHandle), ctypes.c_uint64]
    cuda.cuIpcOpenMemHandle_v2.argtypes = [u64p, IpcMemHandle, ctypes.c_uint]
    cuda.cuIpcCloseMemHandle.argtypes = [ctypes.c_uint64]
    cuda.cuCtxSynchronize.argtypes = []
    cuda.cuStreamSynchronize.argtypes = [ctypes.c_void_p]
    cuda.cuDeviceGetAttribute.argtypes = [ctypes.POINTER(ctypes.c_int), ctypes.c_int, ctypes.c_int]
    return torch, cuda, check


def mps_enabled(cuda, check):
    """Whether this process's device 0 runs under MPS, as the driver says
    (CU_DEVICE_ATTRIBUTE_MPS_ENABLED): the daemon's pipe directory alone does not make a client."""
    value = ctypes.c_int()
    check("cuDeviceGetAttribute(MPS_ENABLED)", cuda.cuDeviceGetAttribute(ctypes.byref(value), 133, 0))
    return value.value != 0


def storer(path, rounds, raise_kind, ack_kind):
    """The online process's side: a store into the shared file, or (ipc) a write to the batch
    process's flag through a CUDA IPC mapping on a stream of its own. With a grid, each round
    waits (at most 1 s) for the grid's first block to have started before it stores, and counts
    the rounds where it had not."""
    fd = os.open(path, os.O_RDWR)
    buffer = mmap.mmap(fd, PAGE)
    store, ack, armed, done, started = (word(buffer, i) for i in (STORE, ACK, ARMED, DONE, STARTED))
    raise_flag = None
    if raise_kind == "ipc":
        torch, cuda, check = cuda_driver()
        with open(path + ".ipc", "rb") as f:
            handle = IpcMemHandle.from_buffer_copy(f.read(IPC_HANDLE_SIZE))
        flag = ctypes.c_uint64()
        check("cuIpcOpenMemHandle", cuda.cuIpcOpenMemHandle_v2(ctypes.byref(flag), handle, 0x1))
        raising = torch.cuda.Stream(priority=-5)  # kept: its handle is used below
        stream = ctypes.c_void_p(raising.cuda_stream)

        def raise_flag(epoch):
            check("cuStreamWriteValue32(the batch process's flag)", cuda.cuStreamWriteValue32_v2(stream, flag.value, epoch, 0))
    latencies = []
    not_started = 0
    for epoch in range(1, rounds + 1):
        deadline = time.monotonic() + 10
        while armed.value < epoch:
            if time.monotonic() > deadline:
                raise SystemExit("round %d was never armed (the waiter stopped?)" % epoch)
        if ack_kind == "kernel":
            deadline = time.monotonic() + 1
            while started.value < epoch and time.monotonic() < deadline:
                pass
            not_started += started.value < epoch
        time.sleep(random.uniform(0.0002, 0.002))
        start = time.perf_counter_ns()
        if raise_flag is None:
            store.value = epoch
        else:
            raise_flag(epoch)
        deadline = time.monotonic() + 10
        while ack.value < epoch:
            if time.monotonic() > deadline:
                raise SystemExit("round %d: no acknowledgement within 10 s: the device did not act on it" % epoch)
        latencies.append((time.perf_counter_ns() - start) / 1000.0)
    if raise_flag is not None:
        cuda.cuStreamSynchronize(stream)
        cuda.cuIpcCloseMemHandle(flag.value)
    done.value = 1
    del store, ack, armed, done, started
    json.dump({"latencies_us": latencies, "rounds_grid_not_started": not_started}, sys.stdout)


def waiter(rounds, ack_kind, raise_kind):
    torch, cuda, check = cuda_driver()
    under_mps = mps_enabled(cuda, check)
    fd, path = tempfile.mkstemp(prefix="xsched-probe-", dir="/dev/shm")
    registered = False
    flag = ctypes.c_uint64()
    queued = False  # work is queued that may not have ended: its memory stays until this process exits
    child = None
    try:
        os.fchmod(fd, 0o600)
        os.ftruncate(fd, PAGE)
        buffer = mmap.mmap(fd, PAGE)
        host = ctypes.addressof(ctypes.c_char.from_buffer(buffer))
        check("cuMemHostRegister(shared file, PORTABLE | DEVICEMAP)", cuda.cuMemHostRegister_v2(host, PAGE, 0x01 | 0x02))
        registered = True
        mapped = ctypes.c_uint64()
        check("cuMemHostGetDevicePointer", cuda.cuMemHostGetDevicePointer_v2(ctypes.byref(mapped), host, 0))
        store_dev, ack_dev, started_dev = (mapped.value + i * SLOT for i in (STORE, ACK, STARTED))
        store, armed, done = word(buffer, STORE), word(buffer, ARMED), word(buffer, DONE)

        # The flag in an allocation of its own (an IPC handle names a whole allocation), zeroed
        # before any stream of ours reads it.
        check("cuMemAlloc(flag)", cuda.cuMemAlloc_v2(ctypes.byref(flag), 4))
        check("cuMemsetD32(flag)", cuda.cuMemsetD32_v2(flag.value, 0, 1))
        check("cuCtxSynchronize", cuda.cuCtxSynchronize())
        if raise_kind == "ipc":
            handle = IpcMemHandle()
            check("cuIpcGetMemHandle(flag)", cuda.cuIpcGetMemHandle(ctypes.byref(handle), flag.value))
            descriptor = os.open(path + ".ipc", os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
            os.write(descriptor, bytes(handle))
            os.close(descriptor)

        low, high, rescue = (torch.cuda.Stream(priority=0), torch.cuda.Stream(priority=-5),
                             torch.cuda.Stream(priority=-5))
        grid = None
        if ack_kind == "kernel":
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            import driver_kernels  # noqa: E402
            # Spins until the flag reaches the round (or 20 s pass: nothing is left spinning if this
            # process dies); block 0 says when it started and acknowledges once the flag is up.
            spin = driver_kernels.compile_kernel(b"""
                __device__ unsigned long long now_ns() {
                    unsigned long long t; asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t)); return t;
                }
                extern "C" __global__ void spin_until(volatile unsigned* flag, unsigned epoch, volatile unsigned* ack,
                                                      volatile unsigned* started, unsigned long long limit_ns) {
                    if (blockIdx.x == 0 && threadIdx.x == 0) { *started = epoch; __threadfence_system(); }
                    if (threadIdx.x == 0) {
                        unsigned long long t0 = now_ns();
                        while (*flag < epoch && now_ns() - t0 < limit_ns) { }
                    }
                    __syncthreads();
                    if (blockIdx.x == 0 && threadIdx.x == 0 && *flag >= epoch) { *ack = epoch; __threadfence_system(); }
                }""", b"spin_until")
            grid = torch.cuda.get_device_properties(0).multi_processor_count * 4

            def launch_grid(epoch):
                args = [ctypes.c_uint64(flag.value), ctypes.c_uint32(epoch), ctypes.c_uint64(ack_dev),
                        ctypes.c_uint64(started_dev), ctypes.c_uint64(SPIN_LIMIT_NS)]
                driver_kernels.launch(spin, ctypes.c_void_p(low.cuda_stream), grid, 256, *args)

            # Once before any wait is parked: a first launch may load the kernel (lazy loading),
            # which can wait for the context, and so for a parked wait that only a store releases.
            launch_grid(0)
            check("cuCtxSynchronize(first launch)", cuda.cuCtxSynchronize())

        def idle(stream):
            rc = cuda.cuStreamQuery(ctypes.c_void_p(stream.cuda_stream))
            if rc not in (0, 600):  # CUDA_SUCCESS, CUDA_ERROR_NOT_READY
                check("cuStreamQuery", rc)
            return rc == 0

        def release(epoch):
            """After a failure: what would end this round's work, then at most 5 s for it to end."""
            store.value = epoch  # the wait's own release, should the device see it late
            # The grid stops once its flag is up, whatever became of the wait or the other process.
            check("cuMemsetD32Async(flag)", cuda.cuMemsetD32Async(flag.value, epoch, 1, ctypes.c_void_p(rescue.cuda_stream)))
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                if idle(high) and idle(low) and idle(rescue):
                    return True
            return False

        command = [sys.executable, os.path.abspath(__file__), "--storer", path, "--rounds", str(rounds),
                   "--raise", raise_kind, "--ack", ack_kind]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        h = ctypes.c_void_p(high.cuda_stream)
        for epoch in range(1, rounds + 1):
            queued = True
            try:
                if raise_kind == "store":
                    # The wait and the write before the grid: should the driver refuse them (under
                    # MPS, say), no grid is left spinning on a flag that nothing would raise.
                    check("cuStreamWaitValue32(shared word, GEQ)", cuda.cuStreamWaitValue32_v2(h, store_dev, epoch, 0x0))
                    target = flag.value if grid is not None else ack_dev
                    check("cuStreamWriteValue32", cuda.cuStreamWriteValue32_v2(h, target, epoch, 0))
                if grid is not None:
                    launch_grid(epoch)
            except BaseException:
                if release(epoch):  # a wait already parked, or a grid already spinning
                    queued = False
                raise
            armed.value = epoch
            # The storer gives up 10 s after arming; the first round also waits for its start (with
            # --raise ipc, a CUDA context of its own).
            deadline = time.monotonic() + (30 if epoch == 1 and raise_kind == "ipc" else 15)
            while not (idle(high) and idle(low)):
                exited = child.poll()
                if time.monotonic() > deadline or exited not in (None, 0):
                    if release(epoch):
                        queued = False
                    raise RuntimeError("round %d: %s" % (epoch, "the storer exited (status %s) before it ended" % exited
                                                         if exited is not None else "it did not end in time"))
            queued = False
        out, _ = child.communicate(timeout=15)
        if child.returncode != 0 or done.value != 1:
            raise RuntimeError("the storer failed: exit %s" % child.returncode)
        return json.loads(out), path, under_mps
    except BaseException:
        if queued:
            print("shm_wait_probe.py: work may still be queued on the device; its memory stays allocated and "
                  "registered until this process exits", file=sys.stderr)
        raise
    finally:
        child_gone = True
        if child is not None and child.poll() is None:
            child.kill()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child_gone = False  # it may still map the flag through IPC: leave the flag allocated
        if not queued and child_gone:
            if flag.value:
                cuda.cuMemFree_v2(flag.value)
            if registered:
                cuda.cuMemHostUnregister(ctypes.c_void_p(host))
        for leftover in (path, path + ".ipc"):
            if os.path.exists(leftover):
                os.unlink(leftover)


class Stopped(Exception):
    """SIGQUIT (the device scripts' time limit): ends the run through its cleanup, not a core dump."""


def stop(signum, frame):
    raise Stopped("stopped by signal %d (a time limit)" % signum)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--ack", choices=["front-end", "kernel"], default="front-end")
    parser.add_argument("--raise", dest="raise_kind", choices=["store", "ipc"], default="store")
    parser.add_argument("--output")
    parser.add_argument("--storer", help=argparse.SUPPRESS)
    a = parser.parse_args()
    if a.rounds < 1:
        parser.error("--rounds must be at least 1, not %d" % a.rounds)
    if a.raise_kind == "ipc" and a.ack != "kernel":
        parser.error("--raise ipc raises the flag a grid spins on: it needs --ack kernel")
    signal.signal(signal.SIGQUIT, stop)
    if a.storer:
        storer(a.storer, a.rounds, a.raise_kind, a.ack)
        return
    result, path, under_mps = waiter(a.rounds, a.ack, a.raise_kind)
    latencies = result["latencies_us"]
    summary = dict(percentiles(latencies), ack=a.ack, raise_kind=a.raise_kind, mps_enabled=under_mps,
                   rounds_grid_not_started=result["rounds_grid_not_started"], shared_file=path)
    print("%s in another process -> %s acknowledgement seen (%s), %d rounds: P50 %.1f us, P99 %.1f us, "
          "P99.9 %.1f us, max %.1f us%s" % (
              "store" if a.raise_kind == "store" else "flag raised through CUDA IPC", a.ack,
              "under MPS" if under_mps else "no MPS", summary["n"], summary["p50_us"], summary["p99_us"],
              summary["p999_us"], summary["max_us"],
              "; in %d rounds the grid had not started 1 s after arming" % summary["rounds_grid_not_started"]
              if summary["rounds_grid_not_started"] else ""))
    if a.output:
        with open(a.output, "w") as f:
            json.dump({"summary": summary, "latencies_us": latencies}, f)


if __name__ == "__main__":
    main()
