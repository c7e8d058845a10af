#!/usr/bin/env python3
"""The seed scenario in PyTorch: the yardstick for `xsched demo` on the same GPU, in the same sitting.

ResNet-18 at batch 1 answers requests arriving at a fixed rate (open loop: each latency counts from
the request's scheduled arrival, as in the demo's ModeRunner), beside ResNet-50 at a large batch run
back to back. torchvision models with random weights, eval(), torch.no_grad(),
torch.backends.cudnn.benchmark = True; convolutions in TF32 by default (PyTorch's default for
cuDNN convolutions; --conv-precision fp32 turns it off). Modes:

  resnet18-alone        HP alone                                    (the demo's standalone-hp)
  resnet50-alone        LP alone                                    (standalone-lp)
  both-equal-priority   HP and LP on two streams of equal priority  (no-priority)
  both-hp-priority      HP on the highest-priority stream           (native-priority)

Each mode prints P50/P95/P99/P99.9/max of the HP latency (nearest rank, milliseconds) and the LP
iterations per second, and all of them go to --output as JSON. Run on the GPU host, e.g.

  python3 docs/device/pytorch_scenario.py --duration 180 --output pytorch-results.json

Needs torch and torchvision with CUDA; without them it says so and exits with status 2.
"""
import argparse
import json
import math
import sys
import threading
import time

MODES = ("resnet18-alone", "resnet50-alone", "both-equal-priority", "both-hp-priority")
HIGHEST_PRIORITY = -100


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="ResNet-18 b1 at a fixed request rate (open loop) beside ResNet-50 at a large batch, in PyTorch.",
        epilog="Modes: " + ", ".join(MODES) + ". Without torch/torchvision (CUDA) the script exits with status 2.")
    p.add_argument("--duration", type=positive_float, default=30.0, help="measured seconds per mode (default 30)")
    p.add_argument("--warmup", type=non_negative_float, default=3.0, help="unmeasured seconds before each mode (default 3)")
    p.add_argument("--rate", type=positive_float, default=20.0, help="HP requests per second (default 20)")
    p.add_argument("--lp-batch", type=positive_int, default=1024, help="ResNet-50 batch (default 1024)")
    p.add_argument("--modes", default=",".join(MODES), type=modes,
                   help="comma-separated subset of the modes, in order (default: all)")
    p.add_argument("--conv-precision", choices=("tf32", "fp32"), default="tf32",
                   help="cuDNN convolution arithmetic (default tf32, PyTorch's default)")
    p.add_argument("--output", default="pytorch-scenario.json", help="JSON results file (default pytorch-scenario.json)")
    return p.parse_args(argv)


def positive_float(text):
    v = float(text)
    if not v > 0 or math.isinf(v):
        raise argparse.ArgumentTypeError("must be a positive number, got %s" % text)
    return v


def non_negative_float(text):
    v = float(text)
    if not v >= 0 or math.isinf(v):
        raise argparse.ArgumentTypeError("must be >= 0, got %s" % text)
    return v


def positive_int(text):
    v = int(text)
    if v <= 0:
        raise argparse.ArgumentTypeError("must be a positive whole number, got %s" % text)
    return v


def modes(text):
    chosen = [m.strip() for m in text.split(",") if m.strip()]
    unknown = [m for m in chosen if m not in MODES]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError("unknown mode(s) %s; choose from %s" % (unknown or text, ", ".join(MODES)))
    return chosen


def percentile(sorted_values, p):
    """Nearest rank, as the demo's Latencies does; NaN when empty."""
    if not sorted_values:
        return float("nan")
    rank = math.ceil(p / 100.0 * len(sorted_values))
    return sorted_values[max(0, min(len(sorted_values), rank) - 1)]


def summary(latencies_ms, hp_requests, lp_iterations, seconds, lp_batch):
    s = sorted(latencies_ms)
    return {
        "hp_requests": hp_requests,
        "hp_p50_ms": percentile(s, 50), "hp_p95_ms": percentile(s, 95), "hp_p99_ms": percentile(s, 99),
        "hp_p999_ms": percentile(s, 99.9), "hp_max_ms": s[-1] if s else float("nan"),
        "lp_iterations": lp_iterations, "lp_it_per_s": lp_iterations / seconds,
        "lp_images_per_s": lp_iterations * lp_batch / seconds, "seconds": seconds,
    }


def import_torch():
    try:
        import torch
        import torchvision
    except ImportError as e:
        sys.stderr.write("pytorch_scenario.py needs torch and torchvision (with CUDA): %s\n" % e)
        sys.exit(2)
    if not torch.cuda.is_available():
        sys.stderr.write("pytorch_scenario.py needs a CUDA GPU; torch %s sees none\n" % torch.__version__)
        sys.exit(2)
    return torch, torchvision


# Spun rather than slept before an arrival: a sleep oversleeps (timer slack, the wake-up of an idle
# core), and every latency counts from the arrival, so the client's lateness would count as the
# system's. The same in the demo (ArrivalWait), 4 ms since 2026-12-03 (0.3 ms in the runs before).
ARRIVAL_SPIN_SECONDS = 4e-3


def wait_for(arrival):
    delay = arrival - time.perf_counter()
    if delay > ARRIVAL_SPIN_SECONDS:
        time.sleep(delay - ARRIVAL_SPIN_SECONDS)
    while time.perf_counter() < arrival:
        time.sleep(0)  # gives the GIL to the LP thread between looks


def run_mode(torch, mode, hp_model, lp_model, hp_input, lp_input, args):
    run_hp = mode != "resnet50-alone"
    run_lp = mode != "resnet18-alone"
    # Lower numbers are higher priorities; 0 is CUDA's least priority (the default), and PyTorch 2
    # maps a number beyond the device's range to its end, so -100 is the highest priority there is.
    hp_stream = torch.cuda.Stream(priority=HIGHEST_PRIORITY if mode == "both-hp-priority" else 0)
    lp_stream = torch.cuda.Stream(priority=0)
    start = time.perf_counter() + 0.01
    measure_from = start + args.warmup
    measure_to = measure_from + args.duration
    stop = threading.Event()
    latencies, lp_done, failures = [], [0], []

    def lp_loop():
        try:
            with torch.no_grad(), torch.cuda.stream(lp_stream):
                while not stop.is_set():
                    lp_model(lp_input)
                    lp_stream.synchronize()
                    done = time.perf_counter()
                    if measure_from <= done <= measure_to:
                        lp_done[0] += 1
        except BaseException as e:  # reported by the main thread
            failures.append(e)

    def hp_loop():
        period = 1.0 / args.rate
        try:
            with torch.no_grad(), torch.cuda.stream(hp_stream):
                i = 0
                while True:
                    arrival = start + i * period
                    i += 1
                    if arrival >= measure_to:
                        break
                    wait_for(arrival)
                    hp_model(hp_input)
                    hp_stream.synchronize()
                    done = time.perf_counter()
                    if arrival >= measure_from and done <= measure_to:
                        latencies.append((done - arrival) * 1e3)
        except BaseException as e:
            failures.append(e)

    threads = []
    if run_lp:
        threads.append(threading.Thread(target=lp_loop, name="lp", daemon=True))
    if run_hp:
        threads.append(threading.Thread(target=hp_loop, name="hp", daemon=True))
    for t in threads:
        t.start()
    while time.perf_counter() < measure_to and not failures:
        time.sleep(min(5.0, max(0.0, measure_to - time.perf_counter())))
        print("  %-20s HP requests %5d, LP iterations %4d" % (mode, len(latencies), lp_done[0]), flush=True)
    stop.set()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError("mode %s failed: %r" % (mode, failures[0]))
    result = summary(latencies, len(latencies), lp_done[0], args.duration, args.lp_batch)
    result["hp_stream_priority"] = hp_stream.priority if run_hp else None
    result["lp_stream_priority"] = lp_stream.priority if run_lp else None
    return result


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    torch, torchvision = import_torch()
    torch.backends.cudnn.benchmark = True
    torch.backends.cudnn.allow_tf32 = args.conv_precision == "tf32"
    device = torch.device("cuda", 0)
    hp_model = torchvision.models.resnet18(weights=None).to(device).eval()
    lp_model = torchvision.models.resnet50(weights=None).to(device).eval()
    gen = torch.Generator(device="cpu").manual_seed(18)
    hp_input = torch.randn(1, 3, 224, 224, generator=gen).to(device)
    lp_input = torch.randn(args.lp_batch, 3, 224, 224, generator=gen).to(device)
    with torch.no_grad():  # cudnn.benchmark picks its algorithms on these first passes
        for _ in range(3):
            hp_model(hp_input)
            lp_model(lp_input)
    torch.cuda.synchronize()
    environment = {
        "device": torch.cuda.get_device_name(0), "torch": torch.__version__, "torchvision": torchvision.__version__,
        "cuda": torch.version.cuda, "cudnn": torch.backends.cudnn.version(),
        "cudnn_allow_tf32": torch.backends.cudnn.allow_tf32, "cudnn_benchmark": True,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    print("PyTorch scenario on %(device)s: torch %(torch)s, CUDA %(cuda)s, cuDNN %(cudnn)s, TF32 convolutions %(cudnn_allow_tf32)s"
          % environment)
    print("HP ResNet-18 b1 at %g req/s (open loop), LP ResNet-50 b%d; %g s per mode after %g s warm-up"
          % (args.rate, args.lp_batch, args.duration, args.warmup))
    results = {}
    for mode in args.modes:
        results[mode] = run_mode(torch, mode, hp_model, lp_model, hp_input, lp_input, args)
    print("%-20s %8s %8s %8s %8s %8s %9s" % ("mode", "P50 ms", "P95 ms", "P99 ms", "P99.9 ms", "max ms", "LP it/s"))
    for mode, r in results.items():
        print("%-20s %8.2f %8.2f %8.2f %8.2f %8.2f %9.2f" % (mode, r["hp_p50_ms"], r["hp_p95_ms"], r["hp_p99_ms"],
                                                         r["hp_p999_ms"], r["hp_max_ms"], r["lp_it_per_s"]))
    with open(args.output, "w") as f:
        json.dump({"environment": environment, "options": vars(args), "modes": results}, f, indent=2, allow_nan=True)
    print("results: %s" % args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
