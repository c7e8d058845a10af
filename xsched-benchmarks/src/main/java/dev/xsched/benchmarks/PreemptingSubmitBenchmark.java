package dev.xsched.benchmarks;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.YieldableKernels;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.policies.HpfPolicy;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The preemption's host path once the JIT has compiled it: an online queue's submission that
 * makes it ready, until the batch queue that HPF suspends for it reads as suspended, with the
 * policy's round on the scheduling thread ({@code decideOnSubmit=false}, the library's default)
 * or on the submitting thread ({@code true}, {@code XScheduler.Builder#decideOnSubmit}). The
 * simulated GPU (real time) runs the batch queue's yieldable kernels and a 200 us online kernel;
 * between operations the online request completes, the batch queue runs again and 1 ms passes
 * (not measured).
 *
 * <p>{@code xsched bench decision} measures the same path at the online requests' pace, where it
 * mostly runs code not yet compiled; this is its steady state, back to back, so that the
 * difference between the two is what the JIT makes of it.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PreemptingSubmitBenchmark {
    private static final String SOURCE = YieldableKernels.PRELUDE + """
            extern "C" __global__ void batch(XSCHED_YIELD_PARAMS) {
                xsched_yield_t y = XSCHED_YIELD_CONTEXT;
                if (xsched_block_begin(y) < 0) return;
                xsched_block_end(y);
            }
            extern "C" __global__ void request(int unused) { }
            """;
    /** A batch launch: 4,096 blocks of 100 us on 4 compute units, about 0.1 s. */
    private static final LaunchConfig BATCH_GRID = LaunchConfig.of(4096, 64);
    private static final long WAIT_LIMIT_NANOS = Duration.ofSeconds(10).toNanos();
    /** Between a request's end and the next submission. */
    private static final long PAUSE_NANOS = Duration.ofMillis(1).toNanos();

    @Param({"false", "true"})
    public boolean decideOnSubmit;

    /** The online queue's {@code XQueueConfig.idlePoll} in microseconds (0: its completion thread sleeps until woken). */
    @Param({"0", "1000"})
    public long idlePollMicros;

    private SimulatedPlatform sim;
    private HipModule module;
    private XScheduler scheduler;
    private XQueue batchQueue;
    private XQueue onlineQueue;
    private Kernel request;
    private final KernelArgs requestArgs = KernelArgs.builder().i32(0).build();
    private final AtomicBoolean stop = new AtomicBoolean();
    private Thread batchThread;

    @Setup(Level.Trial)
    public void setUp() {
        sim = SimulatedPlatform.builder().realTime().computeUnits(4).build();
        Device gpu = sim.device(0);
        module = gpu.loadModule(gpu.compiler().compile("preempting.hip", SOURCE));
        Kernel batch = SimulatedPlatform.withBlockDuration(module.function("batch", ParamType.POINTER, ParamType.POINTER,
                ParamType.POINTER), Duration.ofNanos(100_000));
        request = SimulatedPlatform.withBlockDuration(module.function("request", ParamType.INT), Duration.ofNanos(200_000));
        scheduler = XScheduler.builder().name("jmh-preempting-submit").policy(new HpfPolicy()).jmx(false)
                .decideOnSubmit(decideOnSubmit).build();
        batchQueue = scheduler.createQueue(gpu, XQueueConfig.defaults("batch")).hint(new Hint.Priority(-10));
        onlineQueue = scheduler.createQueue(gpu, XQueueConfig.defaults("online").withIdlePoll(Duration.ofNanos(idlePollMicros * 1_000)))
                .hint(new Hint.Priority(10));
        batchThread = Thread.ofPlatform().name("jmh-batch").start(() -> {
            while (!stop.get()) {
                batchQueue.launchYieldable(batch, BATCH_GRID, KernelArgs.builder().build());
                batchQueue.synchronize();
            }
        });
        awaitBatchRunning();
    }

    /**
     * One online submission until the batch queue reads as suspended (or, rarely, the request
     * ended first: the policy then heard of its ready and idle together and suspended nothing).
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean submitUntilBatchSuspended() {
        onlineQueue.launch(request, LaunchConfig.of(1, 1), requestArgs);
        spinUntil(() -> batchQueue.stats().suspended() || idle(onlineQueue), "the batch queue's suspend");
        return batchQueue.stats().suspended();
    }

    /**
     * The submission alone, from the call to its return: the call that makes the online queue
     * ready, in which the release of its command, the completion thread's wake-up and (with
     * {@code decideOnSubmit}) the policy's round with the batch queue's stop all run before the
     * submitting thread can launch the request's next kernel. The demo's {@code start_record_ms}.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void submitCall() {
        onlineQueue.launch(request, LaunchConfig.of(1, 1), requestArgs);
    }

    /**
     * The request completes and the batch queue runs again before the next submission, then a
     * pause: as between the online requests of a service, the scheduling thread has finished the
     * resume's round and parked, so the next submission finds no round running (back to back, it
     * would often find the resume's round still holding the scheduler and post its ready instead).
     */
    @TearDown(Level.Invocation)
    public void finishRequest() {
        onlineQueue.synchronize();
        awaitBatchRunning();
        LockSupport.parkNanos(PAUSE_NANOS);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        stop.set(true);
        batchThread.join();
        scheduler.close();
        module.close();
        sim.close();
    }

    private void awaitBatchRunning() {
        spinUntil(() -> !batchQueue.stats().suspended(), "the batch queue to run");
    }

    private static boolean idle(XQueue queue) {
        var stats = queue.stats();
        return stats.completed() == stats.submitted();
    }

    private void spinUntil(BooleanSupplier done, String what) {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - start > WAIT_LIMIT_NANOS) {
                throw new IllegalStateException("waited 10 s for " + what + "; batch " + batchQueue.stats() + ", online "
                        + onlineQueue.stats());
            }
            Thread.onSpinWait();
        }
    }
}
