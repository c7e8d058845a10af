package dev.xsched.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The host's cost of a launch and a query on hip-ffm's NVIDIA platform, against a driver that does
 * next to nothing: the fake {@code libcuda.so.1} that hip-ffm's tests build ({@code
 * hip-ffm/target/fake-cuda/}, with {@code gcc}), so that what is measured is the Java side of the
 * call (argument marshalling, the handle's use gate, the return-code check, the downcall) and not a
 * GPU driver's. For comparing two versions of that path on one machine; a GPU host's launch rate
 * is {@code xsched bench launch}'s to measure.
 *
 * <p>Run with the fake driver and compiler named and the platform forced:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar xsched-benchmarks/target/benchmarks.jar NativeLaunchBenchmark \
 *     -jvmArgsAppend "-Dxsched.hip.platform=nvidia -Dxsched.cuda.library=$PWD/hip-ffm/target/fake-cuda/libcuda.so.1 \
 *     -Dxsched.nvrtc.library=$PWD/hip-ffm/target/fake-cuda/libnvrtc.so.13"
 * </pre>
 * A {@code -jvmArgsAppend} on the command line replaces the one of {@code @Fork} below (the heap
 * limit goes); the forked JVM still gets the native access flag, from this JVM's command line
 * (JMH passes its input arguments on: the runs of docs/benchmarks.md list it in their VM options).
 * Without the properties the platform is whatever the machine has (a real GPU measures its driver
 * too) and without any, the set-up fails with the loader's message.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NativeLaunchBenchmark {
    private NativeEmptyKernel empty;

    @Setup(Level.Trial)
    public void open() {
        empty = new NativeEmptyKernel();
    }

    @TearDown(Level.Trial)
    public void close() {
        empty.close();
    }

    /** One launch of an empty kernel on a stream ({@code cuLaunchKernel} behind the stream's gate). */
    @Benchmark
    public void launch() {
        empty.stream.launch(empty.kernel, empty.config, empty.none);
    }

    /** One query of the stream ({@code cuStreamQuery}): the smallest call that passes a handle. */
    @Benchmark
    public boolean query() {
        return empty.stream.isIdle();
    }
}
