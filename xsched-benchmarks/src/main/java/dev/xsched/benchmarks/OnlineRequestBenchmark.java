package dev.xsched.benchmarks;

import dev.xsched.core.XQueueConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
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
 * The demo's online request on the simulated platform: {@code launches} launches, then {@code
 * synchronize()}, on a stream or on an XQueue set up as the demo's online queue (a threshold of
 * 64 and a sync point every 64 released commands, so a request is released whole and carries the
 * one sync point its synchronize records). Each launch spends {@code launchHostNanos} on its
 * thread, as a driver's launch call does (about 3 us on the H200, 4.5 us per command measured on
 * the H100 in round 38), so a request of 23 takes longer to enqueue than the completion thread's
 * quiet period ({@code UncoveredLinger}, 50 us) and the kernels, of zero length, finish faster than
 * they are launched: the GPU's position behind a ResNet-18 at batch 1. What differs from the
 * stream is the queue's machinery per request (its readiness, the scheduler's notice, the sync
 * point, the completion thread), as a latency distribution.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OnlineRequestBenchmark {
    @Param({"stream", "xqueue"})
    public String target;

    /** Host time per launch on the launching thread. */
    @Param({"3000"})
    public long launchHostNanos;

    /** Launches per request: ResNet-18 at batch 1 makes 23. */
    @Param({"23"})
    public int launches;

    /** The XQueue's {@code XQueueConfig.idlePoll} in microseconds (0: its completion thread sleeps until woken). */
    @Param({"0"})
    public long idlePollMicros;

    private SimulatedTarget submitTo;

    @Setup(Level.Trial)
    public void setUp() {
        XQueueConfig online = new XQueueConfig("online", 64, 64).withIdlePoll(Duration.ofNanos(idlePollMicros * 1_000));
        submitTo = new SimulatedTarget(target, online, Duration.ofNanos(launchHostNanos));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        submitTo.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void request() {
        for (int i = 0; i < launches; i++) {
            submitTo.launch();
        }
        submitTo.queue.synchronize();
    }
}
