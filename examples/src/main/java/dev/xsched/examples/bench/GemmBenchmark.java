package dev.xsched.examples.bench;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Event;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.Stream;
import dev.xsched.hip.blas.Blas;
import dev.xsched.hip.blas.BlasAvailability;
import dev.xsched.hip.blas.ComputeType;
import dev.xsched.hip.blas.DataType;
import dev.xsched.hip.blas.Transpose;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code xsched bench gemm}: one cuBLAS (or hipBLAS) GEMM, C = A B on N x N FP32 matrices with TF32
 * compute by default, through hip-ffm: on a plain stream ({@code java-stream}) and through an XQueue
 * with the pass-through behaviour of an otherwise idle scheduler ({@code java-xqueue}).
 * Each GEMM is timed with events recorded on its queue before and after it (GPU time), for
 * {@code --iterations} after {@code --warmup}; the wall time of all iterations back to back is
 * reported too. {@code examples/src/main/c/gemm_bench.c} (cuBLAS from C) and {@code gemm_torch.py}
 * ({@code torch.matmul} with TF32 allowed) measure the same call the same way, with the same output,
 * so {@code run-gemm-comparison.sh} compares the three in one sitting.
 */
public final class GemmBenchmark {
    /**
     * @param size       N of the N x N x N GEMM
     * @param iterations timed GEMMs per queue
     * @param warmup     untimed GEMMs before them
     * @param compute    FP32, TF32 or BF16 (the data is FP32)
     * @param queues     {@code stream}, {@code xqueue} or both, in that order
     */
    public record Options(int size, int iterations, int warmup, ComputeType compute, List<String> queues) {
        public static final int DEFAULT_SIZE = 8192;
        public static final int DEFAULT_ITERATIONS = 50;
        public static final int DEFAULT_WARMUP = 10;

        public Options {
            queues = List.copyOf(queues);
            if (size < 1 || iterations < 1 || warmup < 0) {
                throw new IllegalArgumentException("--size and --iterations must be >= 1, --warmup >= 0");
            }
            if (compute == ComputeType.FP16) {
                throw new IllegalArgumentException("--compute fp16 needs FP16 matrices; this benchmark uses FP32 data");
            }
            if (queues.isEmpty() || !List.of("stream", "xqueue").containsAll(queues)) {
                throw new IllegalArgumentException("--queue takes stream, xqueue or both, got " + queues);
            }
        }
    }

    /** One implementation's figures: per-GEMM GPU times from events, and the wall time of the whole run. */
    record Result(String impl, String device, Options options, double[] millis, double wallSeconds) {
        double flops() {
            return 2.0 * options.size() * options.size() * options.size();
        }

        double median() {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return sorted[(sorted.length - 1) / 2];
        }

        double best() {
            return Arrays.stream(millis).min().orElseThrow();
        }

        double tflops(double ms) {
            return flops() / (ms * 1e-3) / 1e12;
        }

        String json() {
            return String.format(Locale.ROOT, "{\"impl\":\"%s\",\"device\":\"%s\",\"size\":%d,\"compute\":\"%s\",\"iterations\":%d,"
                            + "\"warmup\":%d,\"median_ms\":%.4f,\"best_ms\":%.4f,\"tflops_median\":%.1f,\"wall_s\":%.4f,"
                            + "\"tflops_wall\":%.1f}", impl, device.replace("\"", "'"), options.size(), options.compute(),
                    options.iterations(), options.warmup(), median(), best(), tflops(median()), wallSeconds,
                    flops() * options.iterations() / wallSeconds / 1e12);
        }
    }

    private GemmBenchmark() {
    }

    public static int run(Options options, PrintStream out) {
        HipPlatform platform = Hip.platformOrSimulator();
        BlasAvailability blas = Blas.probe(platform.name());
        if (!blas.available()) {
            out.println("xsched bench gemm needs a BLAS library, and platform " + platform.name() + " has none usable: "
                    + blas.summary());
            return 2;
        }
        if (platform.deviceCount() == 0) {
            throw new IllegalStateException("platform " + platform.name() + " has no device: "
                    + platform.noDeviceReason().orElse("no reason given") + " (xsched info says more)");
        }
        for (Result result : measure(platform.device(0), options)) {
            print(result, out);
        }
        return 0;
    }

    static List<Result> measure(Device gpu, Options options) {
        int n = options.size();
        long bytes = 4L * n * n;
        List<Result> results = new ArrayList<>();
        try (Blas blas = Blas.open(gpu); DeviceBuffer a = gpu.allocate(bytes); DeviceBuffer b = gpu.allocate(bytes);
             DeviceBuffer c = gpu.allocate(bytes); Stream upload = gpu.createStream()) {
            // Uniform [-1, 1): GEMM speed can depend on the data (power), so no zeros; same as the C and Python twins.
            float[] host = new float[n * n];
            SplittableRandom random = new SplittableRandom(42);
            for (DeviceBuffer matrix : List.of(a, b)) {
                for (int i = 0; i < host.length; i++) {
                    host[i] = (float) (random.nextDouble() * 2 - 1);
                }
                upload.copyAndWait(matrix, MemorySegment.ofArray(host));
            }
            for (String queue : options.queues()) {
                if (queue.equals("stream")) {
                    try (Stream stream = gpu.createStream()) {
                        results.add(time("java-stream", gpu, stream, blas, a, b, c, options));
                    }
                } else {
                    try (XScheduler scheduler = XScheduler.builder().name("bench-gemm").policy("hpf").jmx(false).build()) {
                        XQueue xqueue = scheduler.createQueue(gpu, XQueueConfig.defaults("gemm"));
                        results.add(time("java-xqueue", gpu, xqueue, blas, a, b, c, options));
                        xqueue.close();
                    }
                }
            }
        }
        return results;
    }

    private static Result time(String impl, Device gpu, CommandQueue queue, Blas blas, DeviceBuffer a, DeviceBuffer b,
                               DeviceBuffer c, Options options) {
        int n = options.size();
        for (int i = 0; i < options.warmup(); i++) {
            gemm(queue, blas, a, b, c, n, options.compute());
        }
        queue.synchronize();
        List<Event> events = new ArrayList<>();
        try {
            for (int i = 0; i <= options.iterations(); i++) {
                events.add(gpu.createEvent());
            }
            long start = System.nanoTime();
            queue.record(events.getFirst());
            for (int i = 1; i <= options.iterations(); i++) {
                gemm(queue, blas, a, b, c, n, options.compute());
                queue.record(events.get(i));
            }
            queue.synchronize();
            double wall = (System.nanoTime() - start) / 1e9;
            double[] millis = new double[options.iterations()];
            for (int i = 0; i < millis.length; i++) {
                millis[i] = events.get(i + 1).elapsedMillis(events.get(i));
            }
            return new Result(impl, gpu.name(), options, millis, wall);
        } finally {
            events.forEach(Event::close);
        }
    }

    private static void gemm(CommandQueue queue, Blas blas, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, int n,
                             ComputeType compute) {
        blas.gemmEx(queue, Transpose.N, Transpose.N, n, n, n, 1f, a, DataType.FP32, n, b, DataType.FP32, n,
                0f, c, DataType.FP32, n, compute);
    }

    static void print(Result r, PrintStream out) {
        out.printf(Locale.ROOT, "gemm benchmark: %s, %s, %s GEMM %d^3, %d iterations after %d warm-up%n", r.impl(), r.device(),
                r.options().compute(), r.options().size(), r.options().iterations(), r.options().warmup());
        out.printf(Locale.ROOT, "  per GEMM (events): median %.3f ms (%.1f TFLOP/s), best %.3f ms (%.1f TFLOP/s)%n",
                r.median(), r.tflops(r.median()), r.best(), r.tflops(r.best()));
        out.printf(Locale.ROOT, "  back to back (wall): %.3f s, %.1f TFLOP/s%n", r.wallSeconds(),
                r.flops() * r.options().iterations() / r.wallSeconds() / 1e12);
        out.println("JSON " + r.json());
    }
}
