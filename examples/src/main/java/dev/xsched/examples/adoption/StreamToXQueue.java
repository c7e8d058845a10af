package dev.xsched.examples.adoption;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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
 * Run: {@code ./xsched example adoption} (uses the GPU, or the simulated platform without one).
 */
public final class StreamToXQueue {
    static final String SOURCE = """
            extern "C" __global__ void scale_add(const float* x, float* y, float a, int n) {
                int i = blockIdx.x * blockDim.x + threadIdx.x;
                if (i < n) y[i] = a * x[i] + y[i];
            }
            """;

    private StreamToXQueue() {
    }

    /** The application's GPU work, unaware of scheduling: y = a*x + y, {@code rounds} times. */
    static void work(CommandQueue queue, Kernel kernel, DeviceBuffer x, DeviceBuffer y, int n, int rounds) {
        KernelArgs args = KernelArgs.builder().pointer(x).pointer(y).f32(2.0f).i32(n).build();
        for (int r = 0; r < rounds; r++) {
            queue.launch(kernel, LaunchConfig.of((n + 255) / 256, 256), args);
        }
    }

    public static void main(String[] args) {
        run(Hip.platform(), System.out);
    }

    public static void run(HipPlatform platform, PrintStream out) {
        Device gpu = platform.device(0);
        int n = 1 << 16;
        int rounds = 100;
        String kind = platform.isSimulated() ? " (simulated)" : "";
        out.println("device: " + gpu.name() + kind);
        try (HipModule module = gpu.loadModule(gpu.compiler().compile("scale_add.hip", SOURCE));
             DeviceBuffer x = gpu.allocate(4L * n);
             DeviceBuffer y = gpu.allocate(4L * n);
             Stream stream = gpu.createStream();
             Arena arena = Arena.ofConfined()) {
            Kernel kernel = module.function("scale_add", ParamType.POINTER, ParamType.POINTER, ParamType.FLOAT, ParamType.INT);
            MemorySegment ones = arena.allocate(ValueLayout.JAVA_FLOAT, n);
            for (int i = 0; i < n; i++) {
                ones.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1.0f);
            }

            // Before: the plain stream.
            CommandQueue queue = stream;
            queue.copyAndWait(x, ones);
            queue.copyAndWait(y, ones);
            long t0 = System.nanoTime();
            work(queue, kernel, x, y, n, rounds);
            queue.synchronize();
            out.printf("plain stream: %d launches in %.2f ms%n", rounds, (System.nanoTime() - t0) / 1e6);

            // After: the same work through an XQueue of a scheduler.
            try (XScheduler scheduler = XScheduler.builder().name("adoption-example").build()) {
                XQueue xqueue = scheduler.wrap(stream, XQueueConfig.defaults("app")).hint(new Hint.Priority(10));
                queue = xqueue;
                t0 = System.nanoTime();
                work(queue, kernel, x, y, n, rounds);
                queue.synchronize();
                out.printf("XQueue:       %d launches in %.2f ms (%s)%n", rounds, (System.nanoTime() - t0) / 1e6, xqueue.stats());
            }
            if (!platform.isSimulated()) {
                MemorySegment result = arena.allocate(ValueLayout.JAVA_FLOAT, n);
                stream.copyAndWait(result, y);
                // y starts at 1 and each round adds 2*x = 2: after 2*rounds rounds y = 1 + 4*rounds.
                float expected = 1.0f + 2.0f * 2 * rounds;
                out.println("result y[0] = " + result.getAtIndex(ValueLayout.JAVA_FLOAT, 0) + " (expected " + expected + ")");
            }
        }
    }
}
