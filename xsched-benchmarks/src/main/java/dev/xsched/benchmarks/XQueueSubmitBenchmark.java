package dev.xsched.benchmarks;

import dev.xsched.core.XQueueConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The CPU cost of the scheduling path: zero-length kernels on the simulated platform (real time),
 * submitted straight to its stream ({@code target=stream}, the baseline) or through an XQueue of a
 * running scheduler ({@code target=xqueue}).
 *
 * <ul>
 *   <li>{@code throughput}: commands per second through one queue, 1000 launches then a
 *       synchronize per invocation (the synchronize is part of the cost, as in a real program).</li>
 *   <li>{@code yieldableThroughput}: the same with the kernel's yieldable twin, which the XQueue
 *       launches with its stop flag, a state buffer from its pool and a record slot (the stream
 *       launches it plainly); with {@code -prof gc} the two rows' bytes per command say what the
 *       queue allocates for each launch.</li>
 *   <li>{@code submitToLaunch}: the time of one submit on a running queue below its threshold,
 *       where the XQueue releases inline, so it bounds submit-to-launch from above.</li>
 * </ul>
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class XQueueSubmitBenchmark {
    @Param({"stream", "xqueue"})
    public String target;

    private SimulatedTarget submitTo;
    private int sinceSync;

    @Setup(Level.Trial)
    public void setUp() {
        // A large threshold keeps the queue "running below its threshold": releases are inline.
        submitTo = new SimulatedTarget(target, new XQueueConfig("jmh", 4096, 64));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        submitTo.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(1000)
    public void throughput() {
        for (int i = 0; i < 1000; i++) {
            submitTo.launch();
        }
        submitTo.queue.synchronize();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(1000)
    public void yieldableThroughput() {
        for (int i = 0; i < 1000; i++) {
            submitTo.launchYieldable();
        }
        submitTo.queue.synchronize();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void submitToLaunch() {
        submitTo.launch();
        // Keep the in-flight count well below the threshold without timing a synchronize each call.
        if (++sinceSync == 1024) {
            sinceSync = 0;
            submitTo.queue.synchronize();
        }
    }
}
