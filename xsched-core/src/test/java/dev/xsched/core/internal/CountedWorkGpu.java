package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.KernelCostModel;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.VirtualClock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated GPU in virtual time for tests of a queue driven directly, as the scheduler would
 * (its close, its failure, its window): 4 compute units without hardware priorities, and one
 * kernel, {@code work(int)}, whose every launch lasts 10 ms (or as long as given) and counts itself
 * in {@link #ran} when it runs.
 */
final class CountedWorkGpu implements AutoCloseable {
    static final long MS = 1_000_000;

    final AtomicInteger ran = new AtomicInteger();
    final SimulatedPlatform sim;
    final VirtualClock clock;
    final Device gpu;
    private final HipModule module;
    final Kernel work;

    /** Launches of 10 ms. */
    CountedWorkGpu() {
        this(Duration.ofMillis(10));
    }

    /** Launches of {@code launch} each. */
    CountedWorkGpu(Duration launch) {
        sim = SimulatedPlatform.builder().computeUnits(4).hardwarePriority(false)
                .costModel(KernelCostModel.fixed(launch))
                .kernelBody("work", (config, args, memory) -> ran.incrementAndGet()).build();
        clock = sim.virtualClock();
        gpu = sim.device(0);
        module = gpu.loadModule(gpu.compiler().compile("work.hip", "extern \"C\" __global__ void work(int n) { }"));
        work = module.function("work", ParamType.INT);
    }

    /** A queue on {@code stream}, on this GPU's virtual clock, telling no scheduler anything. */
    QueueCore queue(XQueueConfig config, Stream stream) {
        return new QueueCore(1, config, stream, clock::nanoTime, NoQueueListener.INSTANCE);
    }

    /** Submits a launch of {@code work(n)} over every compute unit (10 ms); its sequence number. */
    long launch(QueueCore queue, int n) {
        return queue.submit((seq, at) -> new Command.Launch(seq, at, work, LaunchConfig.of(4, 256),
                KernelArgs.builder().i32(n).build()));
    }

    /** Submits a launch of {@code work} that fails at its call ({@link SimulatedPlatform#faulting}); its sequence number. */
    long launchFailing(QueueCore queue) {
        return queue.submit((seq, at) -> new Command.Launch(seq, at, SimulatedPlatform.faulting(work), LaunchConfig.of(4, 256),
                KernelArgs.builder().i32(0).build()));
    }

    /**
     * Virtual time moves only when the test moves it: once {@code thread} has either ended (it did
     * not wait for the device) or blocked (waiting for it), moves the clock by {@code nanos}, then
     * joins the thread.
     */
    void advanceOnceBlocked(Thread thread, long nanos) throws InterruptedException {
        while (thread.isAlive() && thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        clock.advanceBy(nanos);
        thread.join();
    }

    @Override
    public void close() {
        module.close();
        sim.close();
    }
}
