package dev.xsched.benchmarks;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.hip.CommandQueue;
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
 * The host's cost of a launch back to back through an XQueue, against the same launches on its
 * stream, on hip-ffm's NVIDIA platform over the fake {@code libcuda.so.1} of hip-ffm's tests (run as
 * {@link NativeLaunchBenchmark} says): a driver whose launch costs a few tens of nanoseconds and
 * whose events are complete when recorded, so that what a launch costs here is the Java path's (the
 * queue's buffer, its release, a sync point every batch, the completion thread beside it): the
 * part of {@code xsched bench launch}'s back-to-back ratio that the host adds to a GPU's launch
 * rate. The XQueue runs at XSched's threshold/batch size, 16/8, at 64/32, at 64/32 with a drain
 * budget of 500 us, the queue's defaults ({@code @500}: the window moves, here to 64/32 since the
 * fake's events complete at once, and every sync point reads the clock twice), and at 4096/64, where
 * no threshold holds a launch back and sync points are eight times rarer. Per launch: 1000
 * launches, then one synchronize.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NativeBackToBackBenchmark {
    private static final int LAUNCHES = 1000;

    /** The stream, or an XQueue over it with the threshold/batch size named, and a drain budget in us after {@code @}. */
    @Param({"stream", "xqueue-16/8", "xqueue-64/32", "xqueue-64/32@500", "xqueue-4096/64"})
    public String target;

    private NativeEmptyKernel empty;
    private XScheduler scheduler;
    private CommandQueue queue;

    @Setup(Level.Trial)
    public void open() {
        empty = new NativeEmptyKernel();
        if (target.startsWith("xqueue-")) {
            scheduler = XScheduler.builder().name("jmh-back-to-back").jmx(false).build();
            String[] budget = target.substring("xqueue-".length()).split("@");
            String[] window = budget[0].split("/");
            queue = scheduler.wrap(empty.stream, new XQueueConfig("jmh", Integer.parseInt(window[0]), Integer.parseInt(window[1]))
                    .withDrainBudget(Duration.ofNanos(budget.length > 1 ? Long.parseLong(budget[1]) * 1000 : 0)));
        } else {
            queue = empty.stream;
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        empty.close();
    }

    /** {@value #LAUNCHES} launches of an empty kernel, then one synchronize; the score is per launch. */
    @Benchmark
    @OperationsPerInvocation(LAUNCHES)
    public void backToBack() {
        for (int i = 0; i < LAUNCHES; i++) {
            queue.launch(empty.kernel, empty.config, empty.none);
        }
        queue.synchronize();
    }
}
