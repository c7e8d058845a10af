"""Can another process stop a batch process's kernels by a plain store to shared memory? (issue 12)

The design that docs/multiprocess.md names as the next step for two processes: the batch process
keeps a word in a shared-memory file (/dev/shm), registered for the device (cuMemHostRegister with
DEVICEMAP), and arms a stream of its own with a wait on that word (cuStreamWaitValue32) followed by
a write that raises its kernels' stop flag (cuStreamWriteValue32 to device memory); the online
process stores the next epoch into the word before its first kernel, and no thread of the batch
process is on the path. What this measures, before any of it is built into the library:

- that a stream can wait on host memory registered from a shared file (and under MPS, when the
  script runs as an MPS client), and
- how soon after the store the device acts on it: `front-end` rounds end with the armed stream
  writing an acknowledgement into the shared file itself (the store seen by the GPU's front end
  and written back); `kernel` rounds with a grid that fills every SM spinning on the device flag
  until the armed stream raises it, its first block then writing the acknowledgement (the whole
  path a yieldable batch kernel would take to its next check).

The waiter is this process (CUDA through PyTorch's primary context and ctypes); the storer is a
second Python process that never touches CUDA: it waits until a round is armed, sleeps 0.2-2 ms
(the wait parked, the grid spinning), stores the round's number, and spins until the
acknowledgement arrives; its latencies (store to acknowledgement seen, microseconds, the storer's
clock) are the result. For comparison: the decision across processes through the scheduler
server took P50 21-22 us and P99 73-144 us on the H200's host (`xsched bench ipc`, rounds 11-12),
before the batch process's flag write.

Usage: python3 shm_wait_probe.py [--rounds N] [--ack front-end|kernel] [--output FILE.json]
"""
import argparse
import ctypes
import json
import mmap
import os
import random
import subprocess
import sys
import tempfile
import time

SLOT = 64                     # each word on a cache line of its own
STORE, ACK, ARMED, DONE = 0, 1, 2, 3
PAGE = 4096


def word(buffer, index):
    return ctypes.c_uint32.from_buffer(buffer, index * SLOT)


def percentiles(values):
    ordered = sorted(values)
    def nearest(p):  # nearest rank, as the demo's NearestRank
        k = max(1, -(-len(ordered) * p // 100))
        return ordered[int(k) - 1]
    return {"n": len(ordered), "p50_us": nearest(50), "p99_us": nearest(99), "p999_us": nearest(99.9),
            "max_us": ordered[-1], "mean_us": sum(ordered) / len(ordered)}


def storer(path, rounds):
    """The online process's side: no CUDA, only stores and loads on the shared file."""
    fd = os.open(path, os.O_RDWR)
    buffer = mmap.mmap(fd, PAGE)
    store, ack, armed, done = (word(buffer, i) for i in (STORE, ACK, ARMED, DONE))
    latencies = []
    for epoch in range(1, rounds + 1):
        deadline = time.monotonic() + 10
        while armed.value < epoch:
            if time.monotonic() > deadline:
                raise SystemExit("round %d was never armed (the waiter stopped?)" % epoch)
        time.sleep(random.uniform(0.0002, 0.002))
        start = time.perf_counter_ns()
        store.value = epoch
        deadline = time.monotonic() + 10
        while ack.value < epoch:
            if time.monotonic() > deadline:
                raise SystemExit("round %d: no acknowledgement within 10 s of the store: the device did not see it" % epoch)
        latencies.append((time.perf_counter_ns() - start) / 1000.0)
    done.value = 1
    del store, ack, armed, done
    json.dump(latencies, sys.stdout)


def waiter(rounds, ack_kind):
    try:
        import torch  # noqa: E402 - only the waiter needs CUDA
    except ImportError:
        print("shm_wait_probe.py needs torch with CUDA for its waiting side (the GPU host has it)", file=sys.stderr)
        sys.exit(2)
    torch.cuda.init()
    torch.zeros(1, device="cuda")  # the primary context, current on this thread
    cuda = ctypes.CDLL("libcuda.so.1")
    name = ctypes.c_char_p()

    def check(what, rc):
        if rc != 0:
            cuda.cuGetErrorName(rc, ctypes.byref(name))
            raise RuntimeError("%s failed: %d %s" % (what, rc, name.value.decode() if name.value else "?"))

    cuda.cuMemHostRegister_v2.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint]
    cuda.cuMemHostUnregister.argtypes = [ctypes.c_void_p]
    cuda.cuMemHostGetDevicePointer_v2.argtypes = [ctypes.POINTER(ctypes.c_uint64), ctypes.c_void_p, ctypes.c_uint]
    cuda.cuStreamWaitValue32_v2.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint32, ctypes.c_uint]
    cuda.cuStreamWriteValue32_v2.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint32, ctypes.c_uint]

    cuda.cuStreamQuery.argtypes = [ctypes.c_void_p]

    fd, path = tempfile.mkstemp(prefix="xsched-probe-", dir="/dev/shm")
    registered = False
    pending = False  # work is queued that may never finish: the memory stays registered, exit tears it down
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
        store_dev, ack_dev = mapped.value + STORE * SLOT, mapped.value + ACK * SLOT
        store, armed, done = word(buffer, STORE), word(buffer, ARMED), word(buffer, DONE)

        low, high, rescue = (torch.cuda.Stream(priority=0), torch.cuda.Stream(priority=-5),
                             torch.cuda.Stream(priority=-5))
        flag = torch.zeros(1, dtype=torch.int32, device="cuda")
        torch.cuda.synchronize()  # the flag's zero written before any stream of ours reads it
        grid = None
        if ack_kind == "kernel":
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            import driver_kernels  # noqa: E402
            spin = driver_kernels.compile_kernel(b"""
                extern "C" __global__ void spin_until(volatile unsigned* flag, unsigned epoch, volatile unsigned* ack) {
                    if (threadIdx.x == 0) { while (*flag < epoch) { } }
                    __syncthreads();
                    if (blockIdx.x == 0 && threadIdx.x == 0) { *ack = epoch; __threadfence_system(); }
                }""", b"spin_until")
            grid = torch.cuda.get_device_properties(0).multi_processor_count * 4

        def idle(stream):
            rc = cuda.cuStreamQuery(ctypes.c_void_p(stream.cuda_stream))
            if rc not in (0, 600):  # CUDA_SUCCESS, CUDA_ERROR_NOT_READY
                check("cuStreamQuery", rc)
            return rc == 0

        def release(epoch):
            """After a failure: what would end this round's work, then at most 5 s for it to end."""
            store.value = epoch  # the wait's own release, should the device see it late
            if grid is not None:  # the grid stops once its flag is up, whatever became of the wait
                with torch.cuda.stream(rescue):
                    flag.fill_(epoch)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                if idle(high) and idle(low):
                    return True
            return False

        child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--storer", path, "--rounds", str(rounds)],
                                 stdout=subprocess.PIPE, text=True)
        h = ctypes.c_void_p(high.cuda_stream)
        for epoch in range(1, rounds + 1):
            # The wait and the write first: should the driver refuse them (under MPS, say), no grid is
            # left spinning on a flag that nothing would raise.
            pending = True
            check("cuStreamWaitValue32(shared word, GEQ)", cuda.cuStreamWaitValue32_v2(h, store_dev, epoch, 0x0))
            target = flag.data_ptr() if grid is not None else ack_dev
            check("cuStreamWriteValue32", cuda.cuStreamWriteValue32_v2(h, target, epoch, 0))
            if grid is not None:
                args = [ctypes.c_uint64(flag.data_ptr()), ctypes.c_uint32(epoch), ctypes.c_uint64(ack_dev)]
                driver_kernels.launch(spin, ctypes.c_void_p(low.cuda_stream), grid, 256, *args)
            armed.value = epoch
            deadline = time.monotonic() + 15  # the storer gives up 10 s after arming
            while not (idle(high) and idle(low)):
                if time.monotonic() > deadline or child.poll() not in (None, 0):
                    if release(epoch):
                        pending = False
                    raise RuntimeError("round %d did not end within 15 s of arming it (the storer: %s)"
                                       % (epoch, "exit %s" % child.returncode if child.poll() is not None else "running"))
            pending = False
        out, _ = child.communicate(timeout=60)
        if child.returncode != 0 or done.value != 1:
            raise RuntimeError("the storer failed: exit %s" % child.returncode)
        return json.loads(out), path
    except BaseException:
        if pending:
            print("shm_wait_probe.py: work still queued on the device; the shared memory stays registered "
                  "until this process exits", file=sys.stderr)
        raise
    finally:
        if child is not None and child.poll() is None:
            child.kill()
        if registered and not pending:
            cuda.cuMemHostUnregister(ctypes.c_void_p(host))
        os.unlink(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--ack", choices=["front-end", "kernel"], default="front-end")
    parser.add_argument("--output")
    parser.add_argument("--storer", help=argparse.SUPPRESS)
    a = parser.parse_args()
    if a.rounds < 1:
        parser.error("--rounds must be at least 1, not %d" % a.rounds)
    if a.storer:
        storer(a.storer, a.rounds)
        return
    latencies, path = waiter(a.rounds, a.ack)
    # An MPS client when the daemon's pipe directory is set and the daemon started a server for it
    # (round33.sh e records the daemon's server list beside the results).
    mps = bool(os.environ.get("CUDA_MPS_PIPE_DIRECTORY"))
    summary = dict(percentiles(latencies), ack=a.ack, mps_pipe_directory_set=mps, shared_file=path)
    print("store in another process -> %s acknowledgement seen (%s), %d rounds: P50 %.1f us, P99 %.1f us, "
          "P99.9 %.1f us, max %.1f us" % (a.ack, "CUDA_MPS_PIPE_DIRECTORY set" if mps else "no MPS",
                                          summary["n"], summary["p50_us"], summary["p99_us"], summary["p999_us"],
                                          summary["max_us"]))
    if a.output:
        with open(a.output, "w") as f:
            json.dump({"summary": summary, "latencies_us": latencies}, f)


if __name__ == "__main__":
    main()
