package dev.xsched.examples.bench;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code xsched bench launch}: what one kernel launch costs from Java through FFM, on the chosen
 * platform's device 0.
 * <ul>
 *   <li>round trip: launch an empty kernel, then synchronize the stream; median and P99 over
 *       {@code --iterations} (20,000) after {@code --warmup} (20,000: enough launches for the JIT to
 *       compile the launch path, so steady state is measured);</li>
 *   <li>throughput: {@code --launches} (100,000) back-to-back empty-kernel launches, then one
 *       synchronize: launches per second;</li>
 *   <li>the same through an XQueue against a stream of the same priority
 *       ({@link LaunchBenchmarkXQueue}): round trips of an empty and a 20 us kernel, back-to-back
 *       launches of an empty and a 5 us kernel.</li>
 * </ul>
 * Prints a small table and one {@code JSON} line. {@code examples/src/main/c/launch_bench.c} does
 * exactly the same through the CUDA driver API from C, with the same output, for comparison.
 */
public final class LaunchBenchmark {
    /** The same kernel source as launch_bench.c; compiled at run time for the device. */
    static final String EMPTY_KERNEL = "extern \"C\" __global__ void empty_kernel() { }\n";

    record Options(int iterations, int warmup, int launches) {
        Options {
            if (iterations < 1 || warmup < 0 || launches < 1) {
                throw new IllegalArgumentException("--iterations and --launches must be >= 1, --warmup >= 0");
            }
        }

        static Options parse(List<String> args) {
            int iterations = 20_000;
            int warmup = 20_000;
            int launches = 100_000;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("option " + arg + " needs a value");
                }
                int value = Integer.parseInt(args.get(++i));
                switch (arg) {
                    case "--iterations" -> iterations = value;
                    case "--warmup" -> warmup = value;
                    case "--launches" -> launches = value;
                    default -> throw new IllegalArgumentException("unknown option " + arg
                            + " (options: --iterations N, --warmup N, --launches N)");
                }
            }
            return new Options(iterations, warmup, launches);
        }
    }

    /** Results of one run. */
    record Result(String platform, String device, String architecture, Options options, LatencyStats roundTrip,
                  double throughputSeconds, LaunchBenchmarkXQueue.Result xqueue) {
        double launchesPerSecond() {
            return options.launches() / throughputSeconds;
        }

        String json() {
            return String.format(Locale.ROOT, "{\"impl\":\"java\",\"platform\":\"%s\",\"device\":\"%s\",\"arch\":\"%s\","
                            + "\"iterations\":%d,\"warmup\":%d,\"roundtrip_us\":%s,"
                            + "\"throughput\":{\"launches\":%d,\"seconds\":%.6f,\"launches_per_s\":%.0f},\"xqueue\":%s}",
                    platform, device.replace("\"", "'"), architecture, options.iterations(), options.warmup(),
                    roundTrip.json(), options.launches(), throughputSeconds, launchesPerSecond(), xqueue.json());
        }
    }

    private LaunchBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out));
    }

    public static int run(List<String> args, PrintStream out) {
        Options options = Options.parse(args);
        HipPlatform platform = Hip.platform();
        if (platform.deviceCount() == 0) {
            throw new IllegalStateException("platform " + platform.name() + " has no device: "
                    + platform.noDeviceReason().orElse("no reason given") + " (xsched info says more)");
        }
        Result result = measure(platform.device(0), options);
        print(result, out);
        return 0;
    }

    static Result measure(Device gpu, Options options) {
        CodeObject code = gpu.compiler().compile("empty_kernel.cu", EMPTY_KERNEL);
        try (HipModule module = gpu.loadModule(code); Stream stream = gpu.createStream()) {
            Kernel empty = module.function("empty_kernel");
            LaunchConfig config = LaunchConfig.of(1, 1);
            KernelArgs none = KernelArgs.none();

            for (int i = 0; i < options.warmup(); i++) {
                stream.launch(empty, config, none);
                stream.synchronize();
            }
            long[] nanos = new long[options.iterations()];
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                stream.launch(empty, config, none);
                stream.synchronize();
                nanos[i] = System.nanoTime() - start;
            }

            long start = System.nanoTime();
            for (int i = 0; i < options.launches(); i++) {
                stream.launch(empty, config, none);
            }
            stream.synchronize();
            double seconds = (System.nanoTime() - start) / 1e9;
            LaunchBenchmarkXQueue.Result xqueue = LaunchBenchmarkXQueue.measure(gpu, empty, options);
            return new Result(gpu.platform().name(), gpu.name(), gpu.architecture(), options, LatencyStats.of(nanos), seconds,
                    xqueue);
        }
    }

    static void print(Result r, PrintStream out) {
        out.printf(Locale.ROOT, "launch benchmark: java, platform %s, %s (%s)%n", r.platform(), r.device(), r.architecture());
        out.printf(Locale.ROOT, "  %-44s %10s %10s %10s %10s%n", "", "median", "p99", "mean", "min");
        out.printf(Locale.ROOT, "  %-44s %7.2f us %7.2f us %7.2f us %7.2f us%n",
                "round trip (launch + sync), " + r.options().iterations() + " iterations",
                r.roundTrip().medianMicros(), r.roundTrip().p99Micros(), r.roundTrip().meanMicros(), r.roundTrip().minMicros());
        out.printf(Locale.ROOT, "  %-44s %.0f launches/s (%d launches in %.3f s)%n",
                "throughput (back-to-back, one sync)", r.launchesPerSecond(), r.options().launches(), r.throughputSeconds());
        LaunchBenchmarkXQueue.print(r.xqueue(), r.options().iterations(), out);
        out.println("JSON " + r.json());
    }
}
