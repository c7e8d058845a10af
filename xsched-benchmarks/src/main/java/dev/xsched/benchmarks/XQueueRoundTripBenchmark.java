package dev.xsched.benchmarks;

import dev.xsched.core.XQueueConfig;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The rows of {@code xsched bench launch} that compare an XQueue with a stream, on the simulated
 * platform (zero-length kernels, real time) at the queue's defaults (a window of up to 64/32 moved
 * by a 500 us drain budget), so what is measured is the queue's machinery in Java and its thread
 * hand-offs, not a GPU:
 * <ul>
 *   <li>{@code roundTrip}: one launch, then {@code synchronize()}, on an idle queue (the
 *       synchronous request of an online service), as a latency distribution;</li>
 *   <li>{@code roundTripHandOffs}: the same, on average, with the scheduler decisions per round
 *       trip as an auxiliary counter: each is a wake-up of the scheduling thread caused by it;</li>
 *   <li>{@code backToBack}: 1000 launches, then one synchronize (the threshold is reached, and
 *       completions must keep the window open).</li>
 * </ul>
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class XQueueRoundTripBenchmark {
    @Param({"stream", "xqueue"})
    public String target;

    /**
     * Host time per launch on the launching thread, as a driver's call costs it (0 by default;
     * about 3000 on the H200): with it, a thread that only buffers a command outpaces the one
     * that launches, as on a GPU, and the launches can move to another thread.
     */
    @Param({"0"})
    public long launchHostNanos;

    private SimulatedTarget submitTo;

    /** Per operation. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class HandOffs {
        public long schedulerDecisions;
    }

    @Setup(Level.Trial)
    public void setUp() {
        submitTo = new SimulatedTarget(target, XQueueConfig.defaults("roundtrip"), Duration.ofNanos(launchHostNanos));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        submitTo.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void roundTrip() {
        submitTo.launch();
        submitTo.queue.synchronize();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void roundTripHandOffs(HandOffs counters) {
        long before = submitTo.decisions();
        submitTo.launch();
        submitTo.queue.synchronize();
        counters.schedulerDecisions += submitTo.decisions() - before;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(1000)
    public void backToBack() {
        for (int i = 0; i < 1000; i++) {
            submitTo.launch();
        }
        submitTo.queue.synchronize();
    }
}
