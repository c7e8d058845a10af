package dev.xsched.benchmarks;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.SimulatedPlatform;
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

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The CPU cost of the scheduling path: zero-length kernels on the simulated platform (real time),
 * submitted straight to its stream ({@code target=stream}, the baseline) or through an XQueue of a
 * running scheduler ({@code target=xqueue}).
 *
 * <ul>
 *   <li>{@code throughput}: commands per second through one queue, 1000 launches then a
 *       synchronize per invocation (the synchronize is part of the cost, as in a real program).</li>
 *   <li>{@code submitToLaunch}: the time of one submit on a running queue below its threshold,
 *       where the XQueue releases inline, so it bounds submit-to-launch from above.</li>
 * </ul>
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class XQueueSubmitBenchmark {
    private static final String SOURCE = "extern \"C\" __global__ void empty(int tag) { }";

    @Param({"stream", "xqueue"})
    public String target;

    private SimulatedPlatform platform;
    private Stream stream;
    private XScheduler scheduler;
    private XQueue queue;
    private HipModule module;
    private Kernel kernel;
    private final LaunchConfig config = LaunchConfig.of(1, 1);
    private final KernelArgs args = KernelArgs.builder().i32(7).build();
    private dev.xsched.hip.CommandQueue submitTo;
    private int sinceSync;

    @Setup(Level.Trial)
    public void setUp() {
        platform = SimulatedPlatform.builder().realTime().defaultBlockDuration(Duration.ZERO).build();
        Device device = platform.device(0);
        CodeObject code = device.compiler().compile("empty.hip", SOURCE);
        module = device.loadModule(code);
        kernel = module.function("empty", ParamType.INT);
        stream = device.createStream();
        if (target.equals("xqueue")) {
            scheduler = XScheduler.builder().name("jmh").jmx(false).build();
            // A large threshold keeps the queue "running below its threshold": releases are inline.
            queue = scheduler.wrap(stream, new XQueueConfig("jmh", 4096, 64));
            submitTo = queue;
        } else {
            submitTo = stream;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (scheduler != null) {
            scheduler.close();
        }
        stream.close();
        module.close();
        platform.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(1000)
    public void throughput() {
        for (int i = 0; i < 1000; i++) {
            submitTo.launch(kernel, config, args);
        }
        submitTo.synchronize();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void submitToLaunch() {
        submitTo.launch(kernel, config, args);
        // Keep the in-flight count well below the threshold without timing a synchronize each call.
        if (++sinceSync == 1024) {
            sinceSync = 0;
            submitTo.synchronize();
        }
    }
}
