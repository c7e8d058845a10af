package dev.xsched.examples.adoption;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.Stream;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Locale;

/**
 * Moving a program from a plain stream to a scheduled XQueue. The work is written once against
 * {@link CommandQueue}; the only change is which object it is given:
 *
 * <pre>{@code
 * CommandQueue queue = stream;                                          // before
 * CommandQueue queue = scheduler.wrap(stream, XQueueConfig.defaults("app"))
 *                               .hint(new Hint.Priority(10));          // after
 * }</pre>
 *
 * Host data is staged in {@linkplain Device#allocatePinned pinned memory}: an XQueue issues its
 * commands from the scheduler's thread, which may not read memory of a confined arena (and a
 * pinned buffer is what a fast copy wants anyway).
 *
 * <p>It then times the same work both ways: {@value #ROUNDS} back-to-back launches plus one
 * synchronize, after {@value #WARMUP_REPETITIONS} unmeasured repetitions on each path (so neither
 * pays for the first launch, the JIT or starting the scheduler's threads), the median of
 * {@value #REPETITIONS}. Run: {@code ./xsched example adoption} (the GPU, or the simulated
 * platform without one).
 */
public final class StreamToXQueue {
    static final String SOURCE = """
            extern "C" __global__ void scale_add(const float* x, float* y, float a, int n) {
                int i = blockIdx.x * blockDim.x + threadIdx.x;
                if (i < n) y[i] = a * x[i] + y[i];
            }
            """;
    static final int ELEMENTS = 1 << 16;
    static final int ROUNDS = 100;
    static final int WARMUP_REPETITIONS = 3;
    static final int REPETITIONS = 5;

    private StreamToXQueue() {
    }

    /** The application's GPU work, unaware of scheduling: y = a*x + y, {@code rounds} times. */
    static void work(CommandQueue queue, Kernel kernel, DeviceBuffer x, DeviceBuffer y, int n, int rounds) {
        KernelArgs args = KernelArgs.builder().pointer(x).pointer(y).f32(2.0f).i32(n).build();
        for (int r = 0; r < rounds; r++) {
            queue.launch(kernel, LaunchConfig.of((n + 255) / 256, 256), args);
        }
    }

    /** What a run measured: milliseconds for {@value #ROUNDS} launches + synchronize, median, each path. */
    record Timing(double streamMs, double xqueueMs) {
        double ratio() {
            return xqueueMs / streamMs;
        }
    }

    public static Timing run(HipPlatform platform, PrintStream out) {
        Device gpu = platform.device(0);
        out.println("device: " + gpu.name() + (platform.isSimulated() ? " (simulated)" : ""));
        int launches = 0;
        try (HipModule module = gpu.loadModule(gpu.compiler().compile("scale_add.hip", SOURCE));
             DeviceBuffer x = gpu.allocate(4L * ELEMENTS);
             DeviceBuffer y = gpu.allocate(4L * ELEMENTS);
             PinnedBuffer host = gpu.allocatePinned(4L * ELEMENTS);
             Stream stream = gpu.createStream()) {
            Kernel kernel = module.function("scale_add", ParamType.POINTER, ParamType.POINTER, ParamType.FLOAT, ParamType.INT);
            MemorySegment staging = host.segment();
            for (int i = 0; i < ELEMENTS; i++) {
                staging.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1.0f);
            }

            // Before: the plain stream.
            CommandQueue queue = stream;
            queue.copyAndWait(x, staging);
            queue.copyAndWait(y, staging);
            double streamMs = time(queue, kernel, x, y);
            launches += (WARMUP_REPETITIONS + REPETITIONS) * ROUNDS;

            // After: the same work through an XQueue of a scheduler.
            double xqueueMs;
            try (XScheduler scheduler = XScheduler.builder().name("adoption-example").build()) {
                XQueue xqueue = scheduler.wrap(stream, XQueueConfig.defaults("app")).hint(new Hint.Priority(10));
                queue = xqueue;
                xqueueMs = time(queue, kernel, x, y);
                launches += (WARMUP_REPETITIONS + REPETITIONS) * ROUNDS;
                out.println("XQueue statistics: " + xqueue.stats());
            }
            Timing timing = new Timing(streamMs, xqueueMs);
            out.printf(Locale.ROOT, "%d launches of scale_add (%d floats) + synchronize, median of %d after %d unmeasured:%n",
                    ROUNDS, ELEMENTS, REPETITIONS, WARMUP_REPETITIONS);
            out.printf(Locale.ROOT, "  plain stream: %8.3f ms%n", streamMs);
            out.printf(Locale.ROOT, "  XQueue:       %8.3f ms (%.2fx the stream: the scheduler's cost per launch)%n", xqueueMs,
                    timing.ratio());

            stream.copyAndWait(staging, y);
            float expected = 1.0f + 2.0f * launches; // y starts at 1; each launch adds 2*x = 2
            float actual = staging.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
            if (platform.isSimulated()) {
                out.println("result y[0] = " + actual + " (the simulator times kernels without running their code; "
                        + "on a GPU it is " + expected + ")");
            } else {
                out.println("result y[0] = " + actual + " (expected " + expected + ")");
                if (actual != expected) {
                    throw new IllegalStateException("y[0] = " + actual + ", expected " + expected);
                }
            }
            return timing;
        }
    }

    /** Median milliseconds of {@value #ROUNDS} launches + synchronize on {@code queue}, after the warm-up. */
    private static double time(CommandQueue queue, Kernel kernel, DeviceBuffer x, DeviceBuffer y) {
        for (int i = 0; i < WARMUP_REPETITIONS; i++) {
            work(queue, kernel, x, y, ELEMENTS, ROUNDS);
            queue.synchronize();
        }
        double[] ms = new double[REPETITIONS];
        for (int i = 0; i < REPETITIONS; i++) {
            long t0 = System.nanoTime();
            work(queue, kernel, x, y, ELEMENTS, ROUNDS);
            queue.synchronize();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[REPETITIONS / 2];
    }
}
